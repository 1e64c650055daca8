import pg from 'pg';
import { assertValidEvents, FORCE_CODES, isForceCode, upcast, type RecordedEvent } from '#contracts';
import { PostgresEventStore, withUpcasting, withValidation } from '#event-store';
import { checkpoint, dropSchema, emit, envInt, log, now, waitForXminHorizon, withClient, type BenchContext } from './common.js';
import { assertCatalogueEvents, EVENTS_PER_INVESTIGATION, SCALE_WINDOW_EVENTS, seedScaleHistory } from './scale-history.js';
import { compareCost } from './scale-rules.js';
import { appendStage, exportStage, readAllStage, rebuildStage, relayStage, type StageFigures } from './scale-stages.js';

/** Issue 14, item 7: at 10M events, each stage's cost per event within 20% of its cost at 1M. */
const TOLERANCE = 0.2;
const STAGES = ['read-all', 'relay', 'rebuild', 'export', 'append'] as const;
type Stage = (typeof STAGES)[number];

function selectedStages(): Stage[] {
  const raw = process.env['BENCH_SCALE_STAGES'];
  if (!raw || raw.trim() === '') return [...STAGES];
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(STAGES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_SCALE_STAGES has unknown stages: ${unknown.join(', ')} (known: ${STAGES.join(', ')})`);
  return STAGES.filter((s) => names.includes(s));
}

function sizes(): { small: number; large: number } {
  const large = envInt('BENCH_SCALE_EVENTS', 10_000_000);
  const small = envInt(
    'BENCH_SCALE_BASE_EVENTS',
    Math.max(SCALE_WINDOW_EVENTS, Math.round(large / 10 / SCALE_WINDOW_EVENTS) * SCALE_WINDOW_EVENTS),
  );
  if (small % SCALE_WINDOW_EVENTS !== 0 || large % SCALE_WINDOW_EVENTS !== 0)
    throw new Error(`BENCH_SCALE_BASE_EVENTS (${small}) and BENCH_SCALE_EVENTS (${large}) must be multiples of ${SCALE_WINDOW_EVENTS}`);
  if (small >= large) throw new Error(`BENCH_SCALE_BASE_EVENTS (${small}) must be below BENCH_SCALE_EVENTS (${large})`);
  return { small, large };
}

/**
 * `scale` (opt-in: BENCH_ONLY=scale): a national history of 43 forces shaped like the simulator's (scale-history.ts)
 * seeded to the small size (1M events, 100k streams), each stage measured on it; extended to the large size (10M
 * events, 1M streams), each stage measured again. One JSON line per stage (`scale-<stage>`) with both sizes' cost per
 * event side by side and their ratio, the target met when the large size is at most 20% dearer per event.
 *
 * At each size, in order: read-all (the whole log through store.readAll, and the raw keyset SELECT beside it),
 * relay (the whole log to 43 fresh force topics), rebuild (one force's five read models from its history, by default
 * the Met, the largest), export (`nom research export` of the whole log, and raw-jsonl beside it), then append (16
 * writers, new streams, through the validating store), last so that the reads at each size see the seeded log (and,
 * at the large size, the small size's appends too; each stage counts exactly what it must handle).
 */
export async function scaleBench(ctx: BenchContext): Promise<void> {
  const { small, large } = sizes();
  const stages = selectedStages();
  const appendCount = envInt('BENCH_SCALE_APPEND_EVENTS', 20_000);
  const readRounds = envInt('BENCH_SCALE_READ_ROUNDS', 2);
  const rebuildForce = process.env['BENCH_SCALE_REBUILD_FORCE'] || 'metropolitan';
  if (!isForceCode(rebuildForce)) throw new Error(`BENCH_SCALE_REBUILD_FORCE is not a force code: ${rebuildForce}`);
  const schema = `${ctx.runId}_scale`;
  log(`scale: ${small} then ${large} events over ${FORCE_CODES.length} forces, stages ${stages.join(', ')}, schema ${schema}`);

  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 16 });
  const store = withValidation(raw, assertValidEvents);
  const upcasting = withUpcasting(raw, upcast);
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 4 });
  const figures = new Map<Stage, StageFigures[]>(stages.map((s) => [s, []]));
  const logSizes: number[] = [];
  try {
    let seeded = 0;
    let appended = 0;
    let lastAppended = 0n;
    for (const size of [small, large]) {
      const t = now();
      await withClient(ctx.databaseUrl, async (c) => {
        await seedScaleHistory(c, schema, seeded + 1, size);
        await c.query(`VACUUM (ANALYZE) ${schema}.events, ${schema}.streams`);
      });
      log(`scale: seeded positions ${seeded + 1}..${size} in ${((now() - t) / 1000).toFixed(1)} s (with VACUUM ANALYZE)`);
      seeded = size;
      if (lastAppended > 0n) await waitForXminHorizon(ctx.databaseUrl, lastAppended, ctx.signal);
      const logEvents = size + appended;
      await assertSeeded(ctx.databaseUrl, raw, schema, logEvents, size);
      logSizes.push(logEvents);
      const runStage = async (stage: Stage): Promise<StageFigures> => {
        switch (stage) {
          case 'read-all':
            return readAllStage(store, pool, schema, logEvents, readRounds);
          case 'relay':
            return relayStage(ctx, store, size, logEvents);
          case 'rebuild':
            return rebuildStage(ctx, upcasting, rebuildForce, size);
          case 'export':
            return exportStage(ctx, schema, size, logEvents);
          case 'append': {
            const result = await appendStage(ctx, store, appendCount);
            appended += result.appended;
            lastAppended = result.last;
            return result;
          }
        }
      };
      for (const stage of stages) {
        if (ctx.signal.aborted) throw new Error('bench aborted');
        await checkpoint(ctx.databaseUrl);
        const started = now();
        const result = await runStage(stage);
        figures.get(stage)!.push(result);
        log(
          `scale ${stage} at ${size}: ${result.events} events in ${result.seconds.toFixed(1)} s (${Math.round(result.events / result.seconds)}/s), stage took ${((now() - started) / 1000).toFixed(1)} s`,
        );
      }
    }

    for (const stage of stages) {
      const [atSmall, atLarge] = figures.get(stage)! as [StageFigures, StageFigures];
      const cost = compareCost(atSmall, atLarge, TOLERANCE);
      // Each stage's other figures: one value when both sizes agree, else both side by side.
      const keys = [...new Set([...Object.keys(atSmall.extra), ...Object.keys(atLarge.extra)])];
      const extras = Object.fromEntries(
        keys.map((key) => {
          const [a, b] = [atSmall.extra[key], atLarge.extra[key]];
          return [key, JSON.stringify(a) === JSON.stringify(b) ? a : { small: a, large: b }];
        }),
      );
      const rawCost = (f: StageFigures): number | undefined => f.extra['rawUsPerEvent'] as number | undefined;
      emit({
        bench: `scale-${stage}`,
        forces: FORCE_CODES.length,
        logEvents: { small: logSizes[0], large: logSizes[1] },
        seededStreams: { small: (2 * small) / EVENTS_PER_INVESTIGATION, large: (2 * large) / EVENTS_PER_INVESTIGATION },
        events: { small: atSmall.events, large: atLarge.events },
        seconds: { small: Number(atSmall.seconds.toFixed(2)), large: Number(atLarge.seconds.toFixed(2)) },
        ...cost,
        ...extras,
        ...(rawCost(atSmall) && rawCost(atLarge)
          ? { rawCostRatio: Math.round((rawCost(atLarge)! / rawCost(atSmall)!) * 1000) / 1000 }
          : {}),
        target: 1 + TOLERANCE,
        targetMetric: 'costRatio <= target (wall-clock µs per event at the large size over the small)',
        meetsTarget: cost.meetsTarget,
      });
    }
  } finally {
    await pool.end();
    await raw.close();
    await dropSchema(ctx.databaseUrl, schema);
  }
}

/**
 * The log holds what the stages will count on, and the window just seeded holds valid catalogue events of every step
 * (the relay, the rebuild and the export must accept them all).
 */
async function assertSeeded(
  databaseUrl: string,
  store: PostgresEventStore,
  schema: string,
  logEvents: number,
  size: number,
): Promise<void> {
  const { rows } = await withClient(databaseUrl, (c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events`));
  if (rows[0]!.n !== logEvents) throw new Error(`the scale log holds ${rows[0]!.n} events, expected ${logEvents}`);
  const sample: RecordedEvent[] = [];
  const window = { fromPosition: BigInt(size - SCALE_WINDOW_EVENTS), batchSize: 1000, maxCount: SCALE_WINDOW_EVENTS };
  for await (const event of store.readAll(window)) sample.push(event);
  assertCatalogueEvents(sample);
}
