import { readFileSync } from 'node:fs';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE, PostgresAccessLog } from '#audit';
import {
  DATABASE_SERVICES,
  grantServiceAccess,
  LocalKeyWrapper,
  migrateSchema,
  OWNER_ROLE,
  PostgresEventStore,
  PostgresSubjectKeyStore,
  provisionRoles,
  rolePassword,
  serviceRole,
  type LogSchemas,
} from '#event-store';
import { PostgresIdempotencyStore } from '#platform';
import { PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE } from '#process-managers';
import { PostgresDisclosureLog } from '#research';

export interface MigrateOptions {
  /** The owner's connection (DATABASE_URL of `nom migrate`): it runs the migrations and owns what they create. */
  readonly ownerUrl: string;
  /** A connection that may create roles (NOM_ADMIN_DATABASE_URL); without it, the roles must exist already. */
  readonly adminUrl?: string;
  readonly schemas: LogSchemas;
  readonly env: NodeJS.ProcessEnv;
}

export interface MigrateReport {
  readonly rolesProvisioned: string[];
  readonly schemasMigrated: string[];
  readonly grantsTo: string[];
}

/**
 * `nom migrate` (ADR 0035): (1) with an admin connection, creates the owner and the service roles (idempotent;
 * passwords from NOM_DB_PASSWORD_<ROLE> or NOM_DB_PASSWORD_<ROLE>_FILE); (2) as the owner, runs every migration of
 * the log schemas: the event store (events, subject keys, idempotency records, process-manager state, event-log
 * seals) and the audit schema (access log, its seals, the research disclosure log); (3) grants each existing
 * service role its access. The services then start as their roles and find their schemas migrated.
 */
export async function runMigrate({ ownerUrl, adminUrl, schemas, env }: MigrateOptions): Promise<MigrateReport> {
  let rolesProvisioned: string[] = [];
  if (adminUrl) {
    const passwords = new Map<string, string>();
    for (const role of [OWNER_ROLE, ...DATABASE_SERVICES.map(serviceRole)]) {
      const password = rolePassword(role, env, (path) => readFileSync(path, 'utf8'));
      if (password) passwords.set(role, password);
    }
    rolesProvisioned = await provisionRoles({ adminUrl, passwords });
  }
  const { eventStore, audit } = schemas;
  const store = await PostgresEventStore.open({ connectionString: ownerUrl, schema: eventStore, poolSize: 1 });
  await store.close();
  const keys = await PostgresSubjectKeyStore.open({
    connectionString: ownerUrl,
    schema: eventStore,
    wrapper: LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek()),
    poolSize: 1,
  });
  await keys.close();
  const idempotency = await PostgresIdempotencyStore.open(ownerUrl, eventStore);
  await idempotency.close();
  await migrateSchema(ownerUrl, eventStore, PROCESS_MANAGER_MIGRATIONS, PROCESS_MANAGER_MIGRATIONS_TABLE);
  const accessLog = await PostgresAccessLog.open(ownerUrl, audit, 1);
  await accessLog.close();
  for (const schema of new Set([eventStore, audit])) await migrateSchema(ownerUrl, schema, AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE);
  const disclosures = await PostgresDisclosureLog.open(ownerUrl, audit);
  await disclosures.close();
  const grantsTo = await grantServiceAccess(ownerUrl, schemas);
  return { rolesProvisioned, schemasMigrated: [...new Set([eventStore, audit])], grantsTo };
}
