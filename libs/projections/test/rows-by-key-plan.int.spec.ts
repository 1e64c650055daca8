import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildTables, createTableSql, INVESTIGATIONS, rowsByKeySql } from '#projections';
import { requiredEnv, uniqueName } from '#testing';

const databaseUrl = requiredEnv('DATABASE_URL');
/** Past the size (about 100k rows) from which the planner read a never-analysed table whole for 1,000 keys. */
const ROWS = 150_000;

/**
 * A fold's read of the rows its batch touches (loadRows), on a build that was never analysed: a rebuild's, written
 * by COPY, or one just made live. Each key must be found through the primary key's index, whatever the statistics
 * say; `key = ANY(keys)`, the statement before this one, read the whole table here (a Seq Scan for every batch).
 */
describe("reading a read model's rows by key on a table that was never analysed", () => {
  const schema = uniqueName('rows_by_key');
  const live = buildTables(schema, 1);
  const bulk = buildTables(schema, 1, true);
  let client: pg.Client;
  let present: string[];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    for (const ddl of createTableSql(live, INVESTIGATIONS)) await client.query(ddl);
    const table = live.table(INVESTIGATIONS.base);
    await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    await client.query(
      `INSERT INTO ${table} (case_id, status, reopened_count, suspects_linked, last_event_at)
       SELECT md5('case' || g)::uuid, 'recorded', 0, 0, '2026-11-03T09:00:00Z' FROM generate_series(1, $1::int) g`,
      [ROWS],
    );
    const { rows } = await client.query<{ id: string }>(`SELECT case_id::text AS id FROM ${table} ORDER BY case_id LIMIT 500`);
    present = rows.map((r) => r.id);
  });

  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client?.end();
  });

  /** 1,000 keys, as a rebuild's batch of 5,000 events touches: half of them rows of the table, half new cases. */
  const keys = (): string[] => [...present, ...Array.from({ length: 500 }, () => randomUUID())];

  it('has no statistics to go by', async () => {
    const { rows } = await client.query<{ analysed: boolean; tuples: number }>(
      `SELECT (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analysed, c.reltuples::float8 AS tuples
         FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid WHERE t.schemaname = $1 AND t.relname = 'investigations_v1'`,
      [schema],
    );
    expect(rows).toEqual([{ analysed: false, tuples: -1 }]);
  });

  it.each([
    ["a rebuild's bulk path", bulk],
    ['the live path (rows locked for the batch)', live],
  ] as const)('finds the rows of %s through the primary key, not by reading the table', async (_what, tables) => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${rowsByKeySql(tables, INVESTIGATIONS)}`, [keys()]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using investigations_v1_pkey/);
    expect(plan).not.toMatch(/Seq Scan|Bitmap/);
  });

  it('returns the rows of the keys that have one, each once, and locks them on the live path', async () => {
    const wanted = keys();
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ row: { case_id: string } }>(rowsByKeySql(live, INVESTIGATIONS), [wanted]);
      expect(rows.map((r) => r.row.case_id).sort()).toEqual([...present].sort());
      const { rows: locks } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'RowShareLock' AND relation = $1::regclass`,
        [live.table(INVESTIGATIONS.base)],
      );
      expect(locks).toEqual([{ n: 1 }]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
