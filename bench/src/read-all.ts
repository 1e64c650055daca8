import pg from 'pg';
import { assertValidEvents } from '#contracts';
import { PostgresEventStore, withValidation, type EventStore } from '#event-store';
import {
  collectGarbage,
  dropSchema,
  emit,
  envInt,
  log,
  now,
  round,
  rssSampler,
  waitForXminHorizon,
  withClient,
  type BenchContext,
} from './common.js';
import { seedLog } from './seed.js';

const BATCH = 1000;
const TARGET_RATIO = 0.5;

export interface ReadRun {
  readonly seconds: number;
  readonly events: number;
  readonly rssGrowthMiB: number;
}

/** One read of the whole global log through `store.readAll` (every event decoded), with the RSS it took. */
export async function readThroughStore(store: EventStore, batchSize: number): Promise<ReadRun> {
  collectGarbage();
  const rss = rssSampler(100);
  const t = now();
  let events = 0;
  let check = 0n;
  for await (const event of store.readAll({ batchSize })) {
    events += 1;
    check ^= event.position;
  }
  const seconds = (now() - t) / 1000;
  if (check === -1n) log('unreachable');
  return { seconds, events, rssGrowthMiB: rss.stop().growthMiB };
}

/** The raw limit of a read of the global log: a plain keyset SELECT of the same rows in batches, with pg (rows parsed, not mapped). */
export async function readRawKeyset(pool: pg.Pool, schema: string, batchSize: number): Promise<ReadRun> {
  const sql = `SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM ${schema}.events
      WHERE position > $1 ORDER BY position LIMIT ${batchSize}`;
  collectGarbage();
  const rss = rssSampler(100);
  const t = now();
  let events = 0;
  let position = '0';
  for (;;) {
    const { rows } = await pool.query<{ position: string }>(sql, [position]);
    events += rows.length;
    if (rows.length < batchSize) break;
    position = rows[rows.length - 1]!.position;
  }
  const seconds = (now() - t) / 1000;
  return { seconds, events, rssGrowthMiB: rss.stop().growthMiB };
}

/**
 * `read-all-unanalysed` (issue 14): the same reads on a freshly written log that was never analysed (autovacuum off
 * for the table, no VACUUM or ANALYZE), where the planner has no statistics to go by; the raw limit is measured on
 * the same table. One size: the point is the plan, not the memory.
 *
 * `read-all`: the whole global log through `store.readAll({ batchSize: 1000 })`, against the raw limit: a plain
 * keyset SELECT of the same rows in batches of 1000 with pg (rows parsed, not mapped). Runs at two log sizes
 * (half and full) to show that the reader's memory does not grow with the log.
 */
export async function readAllBench(ctx: BenchContext, total: number, analysed = true): Promise<void> {
  const bench = analysed ? 'read-all' : 'read-all-unanalysed';
  const schema = `${ctx.runId}_${analysed ? 'readall' : 'readfresh'}`;
  const rounds = envInt('BENCH_READ_ROUNDS', 2);
  const sizes = analysed ? [Math.floor(total / 2), total] : [total];
  log(`${bench}: sizes ${sizes.join(', ')}, ${rounds} round(s) each, schema ${schema}`);
  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 16 });
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 16 });
  try {
    if (!analysed) await withClient(ctx.databaseUrl, (c) => c.query(`ALTER TABLE ${schema}.events SET (autovacuum_enabled = false)`));
    const store = withValidation(raw, assertValidEvents);
    const readStore = (): Promise<ReadRun> => readThroughStore(store, BATCH);
    const readRaw = (): Promise<ReadRun> => readRawKeyset(pool, schema, BATCH);

    let seeded = 0;
    let halfGrowth: number | undefined;
    for (const size of sizes) {
      const last = await seedLog(store, size - seeded, ctx.signal, { perAppend: 100, concurrency: 4 });
      seeded = size;
      await waitForXminHorizon(ctx.databaseUrl, last, ctx.signal);
      // Set hint bits and the visibility map now, so that neither side pays for them on its first read (not on the
      // unanalysed log: VACUUM would give the planner the table's size).
      if (analysed) await withClient(ctx.databaseUrl, (c) => c.query(`VACUUM (ANALYZE) ${schema}.events`));
      await readRaw(); // warm the caches and set hint bits (not measured)
      if (!analysed) {
        const { rows } = await withClient(ctx.databaseUrl, (c) =>
          c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stats WHERE schemaname = $1 AND tablename = 'events'`, [schema]),
        );
        if (rows[0]?.n !== '0') throw new Error(`${bench}: the table has statistics, so the bench measures nothing`);
      }

      const storeRuns: ReadRun[] = [];
      const rawRuns: ReadRun[] = [];
      for (let r = 0; r < rounds; r++) {
        storeRuns.push(await readStore());
        rawRuns.push(await readRaw());
        if (ctx.signal.aborted) throw new Error('bench aborted');
      }
      for (const run of [...storeRuns, ...rawRuns]) {
        if (run.events !== size) throw new Error(`read ${run.events} events, expected ${size}`);
      }
      const best = (runs: ReadRun[]): number => Math.max(...runs.map((x) => x.events / x.seconds));
      const rate = best(storeRuns);
      const rawRate = best(rawRuns);
      const growth = Math.max(...storeRuns.map((x) => x.rssGrowthMiB));
      const ratio = rate / rawRate;
      log(`${bench} ${size}: store ${Math.round(rate)} events/s, raw ${Math.round(rawRate)} events/s, rss +${growth} MiB`);
      emit({
        bench,
        events: size,
        analysed,
        batchSize: BATCH,
        rounds,
        eventsPerSec: Math.round(rate),
        rawLimit: Math.round(rawRate),
        ratio: round(ratio, 3),
        peakRssGrowthMiB: growth,
        rawPeakRssGrowthMiB: Math.max(...rawRuns.map((x) => x.rssGrowthMiB)),
        ...(halfGrowth !== undefined ? { peakRssGrowthAtHalfSizeMiB: halfGrowth, memoryGrowsWithLog: growth > halfGrowth * 1.5 + 16 } : {}),
        target: TARGET_RATIO,
        targetMetric: 'ratio >= target',
        meetsTarget: ratio >= TARGET_RATIO,
      });
      halfGrowth = growth;
    }
  } finally {
    await pool.end();
    await raw.close();
    await dropSchema(ctx.databaseUrl, schema);
  }
}
