import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import type { Selection } from '../src/selection.js';
import { readSelection } from '../src/selection-reader.js';
import { segmentBoundaries } from '../src/export-segments.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const EVENTS = 20_000;
const TYPE = 'uk.police.nom.cases.case-reported.v1';

describe('a research selection read on a log that was never analysed', () => {
  let store: PostgresEventStore;
  let pool: pg.Pool;
  const plans: string[] = [];

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('selplan') });
    const s = store.schema;
    const setUp = new pg.Client({ connectionString: databaseUrl });
    await setUp.connect();
    await setUp.query(`ALTER TABLE ${s}.events SET (autovacuum_enabled = false)`);
    await setUp.query(
      `INSERT INTO ${s}.events (position, event_id, stream_id, revision, type, force, data, metadata)
       SELECT g, gen_random_uuid(), 'case-' || g, 0, $2, CASE WHEN g % 2 = 0 THEN 'durham' ELSE 'wiltshire' END, '{}',
              jsonb_build_object('occurredAt', '2025-01-01T00:00:00.000Z')
         FROM generate_series(1, $1::int) g`,
      [EVENTS, TYPE],
    );
    await setUp.end();
    // Every statement's plan, nested ones too, sent to the client that ran it (auto_explain, a contrib module).
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 1,
      options: '-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c client_min_messages=log',
    });
    pool.on('connect', (client) => {
      client.on('notice', (notice: { message?: string }) => {
        if (notice.message?.includes('plan:')) plans.push(notice.message);
      });
    });
  });

  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`);
    await pool?.end();
    await store?.close();
  });

  it('reads every selected event in position order with an index scan in every batch, never a sort', async () => {
    const selection: Selection = { timeBasis: 'occurred', forces: ['durham'], types: [TYPE], from: '2024-01-01', to: '2026-01-01' };
    let read = 0;
    let last = 0n;
    for await (const batch of readSelection(pool, store.schema, selection, 0n, BigInt(EVENTS), 1000)) {
      for (const event of batch) {
        expect(event.position).toBeGreaterThan(last);
        last = event.position;
      }
      read += batch.length;
    }
    expect(read).toBe(EVENTS / 2);
    const reads = plans.filter((plan) => plan.includes(`${store.schema}.events`) && plan.includes('ORDER BY position'));
    expect(reads).toHaveLength(EVENTS / 2 / 1000 + 1);
    for (const plan of reads) {
      expect(plan).toMatch(/Index Scan using events_pkey/);
      expect(plan).not.toMatch(/\bSort\b|Bitmap|Seq Scan/);
    }
  });

  it("cuts an export's segments by counting the log's events on the primary key in order, never a sort (ADR 0049)", async () => {
    plans.length = 0;
    const boundary = segmentBoundaries(pool, store.schema, BigInt(EVENTS), 3000);
    const ends: bigint[] = [];
    for (let from = 0n; from < BigInt(EVENTS); from = ends[ends.length - 1]!) ends.push(await boundary(from));
    expect(ends).toEqual([3000n, 6000n, 9000n, 12000n, 15000n, 18000n, 20000n]);
    const cuts = plans.filter((plan) => plan.includes(`${store.schema}.events`) && plan.includes('OFFSET'));
    expect(cuts).toHaveLength(ends.length);
    for (const plan of cuts) {
      expect(plan).toMatch(/Index Only Scan using events_pkey|Index Scan using events_pkey/);
      expect(plan).not.toMatch(/\bSort\b|Bitmap|Seq Scan/);
    }
  });

  it('leaves the connection as it found it (the planner settings are reset before it goes back to the pool)', async () => {
    const { rows } = await pool.query<{ sort: string; bitmap: string; seq: string }>(
      "SELECT current_setting('enable_sort') AS sort, current_setting('enable_bitmapscan') AS bitmap, current_setting('enable_seqscan') AS seq",
    );
    expect(rows).toEqual([{ sort: 'on', bitmap: 'on', seq: 'on' }]);
  });
});
