import pg from 'pg';
import { assertIdentifier } from './identifiers.js';

/**
 * Least privilege in PostgreSQL (ADR 0035). One owner role owns the log schemas and runs their migrations
 * (`nom migrate`); each service logs in as its own role, which owns nothing in them. A role that does not own a
 * table cannot ALTER it (so it cannot disable a trigger), drop it or redefine its functions, and TRUNCATE, UPDATE
 * and DELETE are privileges it is never granted on a log. The event log is written only through
 * `append_to_stream`, a SECURITY DEFINER function of the owner.
 *
 * Read models (force and national projections, the national views) are derived and rebuildable: the services that
 * build them (the projector, the national service) may create schemas in the database and own what they build,
 * as they do today, and never own a log.
 */
export const OWNER_ROLE = 'nom_owner';

/** The services that connect to PostgreSQL, each as its own role `nom_<service>` (hyphens as underscores). */
export const DATABASE_SERVICES = ['api', 'relay', 'projector', 'process-manager', 'national', 'sealer', 'research'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

export function serviceRole(service: DatabaseService): string {
  return `nom_${service.replace(/-/g, '_')}`;
}

/** Services that build read models in schemas of their own (CREATE on the database; see above). */
export const READ_MODEL_BUILDERS: readonly DatabaseService[] = ['projector', 'national'];

/** The schemas that hold logs, owned by OWNER_ROLE. */
export interface LogSchemas {
  /** The event log, streams, checkpoints, dead letters, subject keys, idempotency records, process-manager state. */
  readonly eventStore: string;
  /** The Section 62 access log, the seals and signed checkpoints, the research disclosure log. */
  readonly audit: string;
}

export type SchemaAccess = 'read' | 'write';

/** KEK-holding tables, seals, process-manager state: only some services touch them (names are the same everywhere). */
const KEY_TABLES = ['subject_keys', 'subject_erasures'];
const SEAL_TABLES = ['log_seals', 'log_checkpoints'];
const PROCESS_MANAGER_TABLES = [
  'pm_case_victims',
  'pm_update_timers',
  'pm_bail_timers',
  'pm_bail_timers_state',
  'pm_agreed_updates',
  'pm_cps_action_timers',
  'pm_review_timers',
  'pm_review_timers_state',
];

/** What a service may not touch at all (`hidden`), or only read (`readOnly`), within its schemas. */
export interface TableLimits {
  readonly hidden: readonly string[];
  readonly readOnly: readonly string[];
}

export function serviceTableLimits(service: DatabaseService): TableLimits {
  // Subject keys: not for the processes that run without the KEK (ADR 0011: the relay, the projector, research).
  const withoutKek = service === 'relay' || service === 'projector' || service === 'research';
  return {
    hidden: [...(withoutKek ? KEY_TABLES : []), ...(service === 'process-manager' ? [] : PROCESS_MANAGER_TABLES)],
    // Seals and signed checkpoints: only the sealer appends; everyone else may read them (verification).
    readOnly: service === 'sealer' ? [] : SEAL_TABLES,
  };
}

/** What each service does in the log schemas (`write`: appends, and changes its own state tables). */
export function serviceSchemaAccess(service: DatabaseService, schemas: LogSchemas): { schema: string; access: SchemaAccess }[] {
  const { eventStore, audit } = schemas;
  // Every process that serves HTTP appends to the access log (audit: `write`, the logs INSERT only); the research
  // export appends to the disclosure log and only reads the event store.
  return [
    { schema: eventStore, access: service === 'research' ? 'read' : 'write' },
    { schema: audit, access: 'write' },
  ];
}

/** Tables written only through a SECURITY DEFINER function of the owner: no service may INSERT into them. */
const WRITTEN_BY_FUNCTION = new Set(['events']);
/** The function through which the event log is written. */
export const APPEND_FUNCTION = 'append_to_stream';

function quoteIdent(client: pg.Client, name: string): string {
  return client.escapeIdentifier(name);
}

/** Creates `role` if missing (concurrent provisioning tolerated) and sets what it may do and its password. */
export async function provisionRole(
  client: pg.Client,
  role: string,
  password: string,
  options: { createDatabase?: boolean } = {},
): Promise<void> {
  assertIdentifier(role);
  if (password.length < 12) throw new Error(`the password of PostgreSQL role ${role} must have at least 12 characters`);
  await client.query(`DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  await retryConcurrentUpdate(() => client.query(`ALTER ROLE ${role} ${attributes} PASSWORD ${client.escapeLiteral(password)}`));
  const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
  const db = quoteIdent(client, rows[0]!.db);
  await client.query(options.createDatabase ? `GRANT CREATE ON DATABASE ${db} TO ${role}` : `REVOKE CREATE ON DATABASE ${db} FROM ${role}`);
}

/** Another session altering the same role at once ("tuple concurrently updated"): try again. */
async function retryConcurrentUpdate<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 5 || !/concurrently updated/.test((error as Error).message)) throw error;
    }
  }
}

/**
 * Grants `role` exactly `access` on `schema` (run by the schema's owner, after its migrations; idempotent: every
 * earlier grant to the role in the schema is revoked first).
 * - USAGE on the schema, never CREATE;
 * - append-only tables (those with a BEFORE TRUNCATE trigger: the logs): SELECT, and INSERT for `write`, except
 *   `events` (SELECT only: written through `append_to_stream`);
 * - `streams`: SELECT, and UPDATE of its metadata for `write` (revisions move only inside `append_to_stream`);
 * - other tables (state: checkpoints, keys, idempotency records): SELECT, and INSERT, UPDATE, DELETE for `write`;
 *   the migration records: SELECT only;
 * - sequences: USAGE, SELECT; functions: EXECUTE (`append_to_stream` only for `write`).
 * Never TRUNCATE, REFERENCES or TRIGGER, and no ownership: ALTER, DROP and trigger control stay with the owner.
 * `limits` narrows this per service: tables it may not see at all, tables it may only read.
 */
export async function grantSchemaAccess(
  client: pg.Client,
  role: string,
  schema: string,
  access: SchemaAccess,
  limits: TableLimits = { hidden: [], readOnly: [] },
): Promise<void> {
  assertIdentifier(role);
  assertIdentifier(schema);
  const write = access === 'write';
  await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`);
  await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`);
  await client.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${role}`);
  await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  const { rows: tables } = await client.query<{ name: string; append_only: boolean }>(
    `SELECT c.relname AS name,
            EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND (t.tgtype & 32) <> 0) AS append_only
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    [schema],
  );
  for (const { name, append_only } of tables) {
    if (limits.hidden.includes(name)) continue;
    const table = `${schema}.${quoteIdent(client, name)}`;
    let privileges = 'SELECT';
    // Migration records: what `migrateSchema` reads to see that all is migrated.
    if (name.endsWith('migrations') || limits.readOnly.includes(name)) privileges = 'SELECT';
    else if (write && name === 'streams') privileges = 'SELECT, UPDATE (metadata, updated_at)';
    else if (write && append_only && !WRITTEN_BY_FUNCTION.has(name)) privileges = 'SELECT, INSERT';
    else if (write && !append_only && !WRITTEN_BY_FUNCTION.has(name)) privileges = 'SELECT, INSERT, UPDATE, DELETE';
    await client.query(`GRANT ${privileges} ON ${table} TO ${role}`);
  }
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
  const { rows: functions } = await client.query<{ signature: string; name: string }>(
    `SELECT p.oid::regprocedure::text AS signature, p.proname AS name
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.prokind = 'f'`,
    [schema],
  );
  for (const { signature, name } of functions) {
    if (name === APPEND_FUNCTION && !write) continue;
    await client.query(`GRANT EXECUTE ON FUNCTION ${signature} TO ${role}`);
  }
}

/** The passwords of the roles, from the environment: `NOM_DB_PASSWORD_<ROLE>` or a file named by `..._FILE`. */
export function rolePassword(role: string, env: NodeJS.ProcessEnv, readFile: (path: string) => string): string | undefined {
  const key = `NOM_DB_PASSWORD_${role.toUpperCase()}`;
  const file = env[`${key}_FILE`];
  if (file) return readFile(file).trim();
  return env[key];
}

/** `url` with the user and password of `role` (a service's DATABASE_URL). */
export function databaseUrlAs(url: string, role: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export interface ProvisionOptions {
  /** The database, as a role that may create roles (a superuser, or the bootstrap user of the server). */
  readonly adminUrl: string;
  readonly passwords: ReadonlyMap<string, string>;
}

/**
 * Creates the owner and every service role (idempotent), gives the owner and the read-model builders CREATE on the
 * database, and lets the API read what the read-model builders create (default privileges). Roles missing from
 * `passwords` are left alone.
 */
export async function provisionRoles({ adminUrl, passwords }: ProvisionOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const provisioned: string[] = [];
  try {
    const owner = passwords.get(OWNER_ROLE);
    if (owner) {
      await provisionRole(client, OWNER_ROLE, owner, { createDatabase: true });
      provisioned.push(OWNER_ROLE);
    }
    for (const service of DATABASE_SERVICES) {
      const role = serviceRole(service);
      const password = passwords.get(role);
      if (!password) continue;
      await provisionRole(client, role, password, { createDatabase: READ_MODEL_BUILDERS.includes(service) });
      provisioned.push(role);
    }
    const api = serviceRole('api');
    if (provisioned.includes(api)) {
      for (const builder of READ_MODEL_BUILDERS.map(serviceRole).filter((r) => provisioned.includes(r))) {
        await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${builder} GRANT USAGE ON SCHEMAS TO ${api}`);
        await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${builder} GRANT SELECT ON TABLES TO ${api}`);
      }
    }
    return provisioned;
  } finally {
    await client.end();
  }
}

/** Grants every service its access to the log schemas; run as their owner after the migrations. */
export async function grantServiceAccess(
  ownerUrl: string,
  schemas: LogSchemas,
  services: readonly DatabaseService[] = DATABASE_SERVICES,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY ($1)', [
      services.map(serviceRole),
    ]);
    const existing = new Set(rows.map((r) => r.rolname));
    const granted: string[] = [];
    for (const service of services) {
      const role = serviceRole(service);
      if (!existing.has(role)) continue;
      for (const { schema, access } of serviceSchemaAccess(service, schemas)) {
        await grantSchemaAccess(client, role, schema, access, serviceTableLimits(service));
      }
      granted.push(role);
    }
    return granted;
  } finally {
    await client.end();
  }
}
