import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { assertIdentifier } from './identifiers.js';

export type MigrationClass = new () => MigrationInterface;

/**
 * Creates `schema` if needed and runs TypeORM migrations into it, recording them in `<schema>.<migrationsTableName>`
 * (one table per migration set, so that several sets can share a schema).
 * Migrations read the target schema from `queryRunner.connection.options.schema`, so one migration class
 * serves every schema (each force's projections, each test's isolated store).
 */
export async function migrateSchema(
  databaseUrl: string,
  schema: string,
  migrations: MigrationClass[],
  migrationsTableName = 'migrations',
): Promise<void> {
  assertIdentifier(schema);
  assertIdentifier(migrationsTableName);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Already migrated (by `nom migrate`, as the owner): nothing to do, and nothing a service role may not do (it
  // has no CREATE anywhere in the log schemas; ADR 0035).
  const migrated = await isMigrated(client, schema, migrations, migrationsTableName).catch(async (error: unknown) => {
    await client.end();
    throw error;
  });
  if (migrated) {
    await client.end();
    return;
  }
  try {
    // Concurrent first starts (several apps at once) must not race on CREATE SCHEMA.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`nom-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: unknown) => {
      throw notMigrated(schema, error);
    });
    const dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      schema,
      migrations,
      migrationsTableName,
      migrationsTransactionMode: 'each',
      logging: false,
      extra: { max: 1 },
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`nom-migrate:${schema}`]).catch(() => undefined);
    await client.end();
  }
}

/** Every migration of the set is recorded in `<schema>.<table>`. */
async function isMigrated(client: pg.Client, schema: string, migrations: MigrationClass[], table: string): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${schema}.${table}`]);
  if (!rows[0]?.exists) return false;
  const { rows: applied } = await client.query<{ name: string }>(`SELECT name FROM ${schema}.${table}`);
  const names = new Set(applied.map((r) => r.name));
  return migrations.every((m) => names.has(new m().name ?? m.name));
}

function notMigrated(schema: string, error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code !== '42501') return error as Error;
  return new Error(
    `schema ${schema} is not migrated, and this role may not migrate it: run \`nom migrate\` as the owner first (ADR 0035)`,
    { cause: error },
  );
}

/** The schema a migration is running against (set by `migrateSchema`). */
export function targetSchema(connectionOptions: { schema?: string | undefined }): string {
  const schema = connectionOptions.schema;
  if (!schema) throw new Error('migration run without a target schema');
  return assertIdentifier(schema);
}
