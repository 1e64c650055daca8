import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { PostgresEventStore, readLogSql } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const EVENTS = 30_000;
const FORCES = ['avon-somerset', 'durham', 'wiltshire'];
const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';

/**
 * Runs `sql` with auto_explain logging every statement's plan to this client (client_min_messages = log), and
 * returns the plans: the plan of the SELECT on the log is the one that matters.
 */
async function plansOf(client: pg.Client, sql: string): Promise<string[]> {
  const plans: string[] = [];
  const onNotice = (notice: { message?: string }): void => {
    if (notice.message?.includes('plan:')) plans.push(notice.message);
  };
  client.on('notice', onNotice);
  try {
    await client.query(sql);
  } finally {
    client.off('notice', onNotice);
  }
  return plans;
}

describe('reading the log in position order on a table that was never analysed', () => {
  let store: PostgresEventStore;
  let client: pg.Client;

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('plan') });
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const s = store.schema;
    // A freshly written log, as after a bulk import or on a new deployment: autovacuum (hence auto-analyse) off for
    // the table, every event in a stream of its own, positions below any read horizon.
    await client.query(`ALTER TABLE ${s}.events SET (autovacuum_enabled = false)`);
    await client.query(
      `INSERT INTO ${s}.events (position, event_id, stream_id, revision, type, force, data, metadata)
       SELECT g, gen_random_uuid(), 'case-' || g, 0, 'uk.police.nom.cases.case-reported.v1', ($2::text[])[1 + g % 3], '{}',
              jsonb_build_object('force', ($2::text[])[1 + g % 3])
         FROM generate_series(1, $1::int) g`,
      [EVENTS, FORCES],
    );
    await client.query("LOAD 'auto_explain'");
    await client.query('SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET client_min_messages = log');
  });

  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`);
    await client?.end();
    await store?.close();
  });

  it('has no statistics to go by (the condition under which the planner chose a bitmap scan and a sort)', async () => {
    const { rows } = await client.query<{ analysed: boolean; tuples: number }>(
      `SELECT (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analysed, c.reltuples::float8 AS tuples
         FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid WHERE t.schemaname = $1 AND t.relname = 'events'`,
      [store.schema],
    );
    expect(rows).toEqual([{ analysed: false, tuples: -1 }]);
  });

  it.each([
    ['the global read', { after: 0n, take: 1000 }],
    ['the global read from the middle of the log', { after: BigInt(EVENTS / 2), take: 1000 }],
    ["one force's read", { after: 0n, take: 1000, force: 'durham' }],
  ] as const)('keeps %s index-ordered: an index scan, no sort, no bitmap', async (_what, read) => {
    const plans = await plansOf(client, readLogSql(store.schema, COLUMNS, read));
    const inner = plans.find((plan) => plan.includes(`${store.schema}.events`) && plan.includes('ORDER BY'));
    expect(inner).toBeDefined();
    expect(inner).toMatch(/Index Scan using events_(pkey|force_position_idx)/);
    expect(inner).not.toMatch(/\bSort\b|Bitmap|Seq Scan/);
  });

  it('leaves the settings to the read: the session that ran it plans as before', async () => {
    await client.query(readLogSql(store.schema, COLUMNS, { after: 0n, take: 10 }));
    const { rows } = await client.query<{ setting: string }>(
      "SELECT setting FROM pg_settings WHERE name IN ('enable_seqscan', 'enable_bitmapscan', 'enable_sort')",
    );
    expect(rows.map((r) => r.setting)).toEqual(['on', 'on', 'on']);
  });

  it('refuses a force that is not a force code, rather than put it in the query', () => {
    expect(() => readLogSql(store.schema, COLUMNS, { after: 0n, take: 10, force: "durham' OR true --" })).toThrow(/not a force code/);
    expect(() => readLogSql(store.schema, COLUMNS, { after: 0n, take: 0 })).toThrow(/positive whole number/);
  });

  it('reads every event once, in position order, through readAll (globally and for one force)', async () => {
    let count = 0;
    let last = 0n;
    for await (const event of store.readAll({ batchSize: 4000 })) {
      expect(event.position).toBeGreaterThan(last);
      last = event.position;
      count += 1;
    }
    expect(count).toBe(EVENTS);
    let durham = 0;
    for await (const event of store.readAll({ batchSize: 4000, force: 'durham' })) {
      expect(event.metadata.force).toBe('durham');
      durham += 1;
    }
    expect(durham).toBe(EVENTS / 3);
  });
});
