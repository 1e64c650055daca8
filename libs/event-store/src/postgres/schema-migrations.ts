import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Guards every schema name that is interpolated into SQL: only plain lower-case identifiers pass. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe PostgreSQL identifier: ${JSON.stringify(name)}`);
  return name;
}

/**
 * Creates `schema` if needed and runs TypeORM migrations into it, recording them in `<schema>.<migrationsTableName>`
 * (one table per migration set, so that several sets can share a schema).
 * Migrations read the target schema from `queryRunner.connection.options.schema`, so one migration class
 * serves every schema (each force's projections, each test's isolated store).
 */
export async function migrateSchema(databaseUrl: string, schema: string, migrations: MigrationClass[], migrationsTableName = 'migrations'): Promise<void> {
  assertIdentifier(schema);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Concurrent first starts (several apps at once) must not race on CREATE SCHEMA.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`nom-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
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

/** The schema a migration is running against (set by `migrateSchema`). */
export function targetSchema(connectionOptions: { schema?: string | undefined }): string {
  const schema = connectionOptions.schema;
  if (!schema) throw new Error('migration run without a target schema');
  return assertIdentifier(schema);
}
