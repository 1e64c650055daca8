import { DataSource } from 'typeorm';
import pg from 'pg';
import { upcast, type RecordedEvent } from '#contracts';
import { assertIdentifier } from '#event-store';
import type { ReadModel, ReadModelTables } from '#projections';
import { stableHead, type TimeBasis } from './selection.js';
import { readSelection } from './selection-reader.js';

export interface ReplayOptions {
  readonly databaseUrl: string;
  readonly eventStoreSchema: string;
  readonly readModel: ReadModel;
  /** The read model as of this instant: events before it (on `timeBasis`) are applied, later ones are not. */
  readonly asOf: string;
  readonly timeBasis: TimeBasis;
  /** Where the tables are built; never a live schema (the event store's, or a force projection schema). */
  readonly researchSchema: string;
  readonly liveSchemaPrefix?: string;
  readonly batchSize?: number;
  readonly onProgress?: (applied: number) => void;
}

export interface ReplayResult {
  readonly readModel: string;
  readonly version: number;
  readonly schema: string;
  readonly tables: readonly string[];
  readonly asOf: string;
  readonly timeBasis: TimeBasis;
  readonly upToPosition: string;
  readonly events: number;
}

/**
 * Point-in-time replay (ADR 0016): rebuilds a read model as of a past date into a research schema with the
 * read model's own code (`createTables`, `apply`: the code that serves live traffic), feeding it the log's
 * events of its types before `asOf`, upcast to their current versions, in position order and in batches, each
 * batch in one transaction. The log is read up to a position fixed at the start. The build's tables are
 * recreated (a replay never mixes with an earlier one), and a view `<schema>.<base>` points at them.
 */
export async function replayReadModel(options: ReplayOptions): Promise<ReplayResult> {
  const schema = assertIdentifier(options.researchSchema);
  if (schema === options.eventStoreSchema || schema.startsWith(options.liveSchemaPrefix ?? 'force_') || schema.startsWith('pg_')) {
    throw new Error(`--schema ${schema} is a live schema: replays go to a research schema of their own`);
  }
  const { readModel } = options;
  const asOf = new Date(options.asOf).toISOString();
  const tables: ReadModelTables = {
    schema: `"${schema}"`,
    table: (base) => `"${schema}"."${base}_v${readModel.version}"`,
  };
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  const dataSource = new DataSource({ type: 'postgres', url: options.databaseUrl, schema, logging: false, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    for (const base of readModel.tables) {
      await dataSource.query(`DROP VIEW IF EXISTS "${schema}"."${base}"`);
      await dataSource.query(`DROP TABLE IF EXISTS ${tables.table(base)} CASCADE`);
    }
    for (const ddl of readModel.createTables(tables)) await dataSource.query(ddl);
    const upTo = await stableHead(pool, options.eventStoreSchema);
    let applied = 0;
    const types = [...readModel.eventTypes].sort();
    const selection = { to: asOf, timeBasis: options.timeBasis, types };
    for await (const batch of readSelection(pool, options.eventStoreSchema, selection, 0n, upTo, options.batchSize ?? 1000)) {
      const events: RecordedEvent[] = batch.map(upcast);
      await dataSource.transaction((em) => readModel.apply(em, tables, events));
      applied += events.length;
      options.onProgress?.(applied);
    }
    for (const base of readModel.tables) {
      await dataSource.query(`CREATE VIEW "${schema}"."${base}" AS SELECT * FROM ${tables.table(base)}`);
    }
    await dataSource.query(`CREATE TABLE IF NOT EXISTS "${schema}".replays (
      read_model text NOT NULL, version integer NOT NULL, as_of timestamptz NOT NULL, time_basis text NOT NULL,
      up_to_position bigint NOT NULL, events bigint NOT NULL, replayed_at timestamptz NOT NULL DEFAULT now())`);
    await dataSource.query(
      `INSERT INTO "${schema}".replays (read_model, version, as_of, time_basis, up_to_position, events) VALUES ($1, $2, $3, $4, $5, $6)`,
      [readModel.name, readModel.version, asOf, options.timeBasis, upTo.toString(), applied],
    );
    return {
      readModel: readModel.name,
      version: readModel.version,
      schema,
      tables: readModel.tables.map((b) => `${schema}.${b}`),
      asOf,
      timeBasis: options.timeBasis,
      upToPosition: upTo.toString(),
      events: applied,
    };
  } finally {
    await dataSource.destroy();
    await pool.end();
  }
}
