import pg from 'pg';
import {
  forceOnboardingStream,
  NATIONAL,
  PlatformEventTypes,
  type ForceCode,
  type ForceOnboardedData,
  type ProjectionIsolation,
} from '#contracts';
import type { EventStore } from '#event-store';
import type { BackboneConfig } from '#platform';
import { forceSchema } from './force-projector.js';

/** Where one force's read models live. */
export interface ForcePlacement {
  readonly isolation: ProjectionIsolation;
  readonly schema: string;
  readonly database: string | null;
}

/** The URL of another database on the same server (same credentials and options). */
export function databaseUrlFor(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The placement a force gets when nothing chose another: `<prefix><force>`, in its own database or not. */
export function defaultForcePlacement(
  config: Pick<BackboneConfig, 'projectionSchemaPrefix'>,
  force: ForceCode,
  isolation: ProjectionIsolation,
): ForcePlacement {
  const schema = forceSchema(force, config.projectionSchemaPrefix);
  return { isolation, schema, database: isolation === 'database' ? schema : null };
}

/** The force's onboarding as recorded in the log (undefined: not onboarded by command). */
export async function readForceOnboarding(store: EventStore, force: ForceCode): Promise<ForceOnboardedData | undefined> {
  let found: ForceOnboardedData | undefined;
  for await (const event of store.readStream(forceOnboardingStream(force))) {
    if (event.type === PlatformEventTypes.ForceOnboarded && event.metadata.force === NATIONAL) found = event.data as ForceOnboardedData;
  }
  return found;
}

/** Creates the database if it does not exist (CREATE DATABASE cannot run in a transaction, nor with IF NOT EXISTS). */
export async function ensureDatabase(databaseUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`not a safe database name: ${database}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`nom-create-database:${database}`]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}
