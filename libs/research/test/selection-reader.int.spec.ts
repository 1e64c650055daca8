import pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import type { Selection } from '../src/selection.js';
import { mapSelection, type SelectedRow } from '../src/selection-reader.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const EVENTS = 50;
const TYPE = 'uk.police.nom.cases.case-reported.v1';
const selection: Selection = { timeBasis: 'recorded', types: [TYPE] };
const range = { after: 0n, upTo: BigInt(EVENTS) };

/** The planner settings of the pool's one connection, and whether it answers at all. */
async function settings(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ s: string }>(
    "SELECT current_setting('enable_sort') || current_setting('enable_bitmapscan') || current_setting('enable_seqscan') AS s",
  );
  return rows.map((r) => r.s);
}

describe('a research selection mapped as it streams in', () => {
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('selread') });
    pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await pool.query(
      `INSERT INTO ${store.schema}.events (position, event_id, stream_id, revision, type, force, data, metadata)
       SELECT g, gen_random_uuid(), 'case-' || g, 0, $2, 'kent', jsonb_build_object('n', g), jsonb_build_object('force', 'kent')
         FROM generate_series(1, $1::int) g`,
      [EVENTS, TYPE],
    );
  });

  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`);
    await pool?.end();
    await store?.close();
  });

  it('hands every row over once, in position order, in chunks of at most chunkRows across keyset batches', async () => {
    const chunks: string[][] = [];
    const map = (row: SelectedRow): string => `${row[0]}:${(row[5] as { n: number }).n}`;
    for await (const chunk of mapSelection(pool, store.schema, selection, range, 7, 'utc-date', map, 3)) chunks.push(chunk);
    expect(chunks.flat()).toEqual(Array.from({ length: EVENTS }, (_, i) => `${i + 1}:${i + 1}`));
    expect(Math.max(...chunks.map((c) => c.length))).toBe(3);
    expect(await settings(pool)).toEqual(['ononon']);
  });

  it('leaves no query running and resets the connection when the caller stops early', async () => {
    let taken = 0;
    for await (const chunk of mapSelection(pool, store.schema, selection, range, 10, 'utc-date', (row) => row[0], 4)) {
      taken += chunk.length;
      if (taken >= 8) break;
    }
    expect(taken).toBe(8);
    expect(await settings(pool)).toEqual(['ononon']);
  });

  it('fails with the error of a row it cannot map, after handing over the chunks before it; the pool still answers', async () => {
    const map = (row: SelectedRow): string => {
      if (row[0] === '23') throw new Error('row 23 is garbled');
      return row[0];
    };
    const read: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of mapSelection(pool, store.schema, selection, range, 10, 'utc-date', map, 5)) read.push(...chunk);
      })(),
    ).rejects.toThrow('row 23 is garbled');
    expect(read).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    expect(await settings(pool)).toEqual(['ononon']);
  });
});
