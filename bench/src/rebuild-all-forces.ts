import { FORCE_CODES, upcast, type ForceCode } from '#contracts';
import { PostgresEventStore, withUpcasting, type EventStore } from '#event-store';
import { buildTables, FORCE_READ_MODELS, ForceProjector } from '#projections';
import { dropSchema, emit, envInt, log, now, resourceMonitor, round, waitForXminHorizon, withClient, type BenchContext } from './common.js';
import { SCALE_WINDOW_EVENTS, seedScaleHistory } from './scale-history.js';

/**
 * `projection-rebuild-all-forces` (issue 14, item 5: "the time to rebuild all 43 forces' read models from a
 * 10M-event log"), opt-in with BENCH_REBUILD_ALL_FORCES_EVENTS=<n> (10000000 for the issue's figure): a national
 * history of n events (the scale bench's simulator-shaped log, scale-history.ts: 43 forces by the simulator's
 * weights, a case and a victim stream per investigation) is seeded, then every force's read models
 * (FORCE_READ_MODELS) are rebuilt from it as the product does when they all need a build (ForceProjector.rebuildAll:
 * one pass over the force's history for all of them; stopped before the hand-over: no live consumer),
 * BENCH_REBUILD_ALL_FORCES_CONCURRENCY forces at a time (default 2, one per core). Each read model must take every
 * event of its force, and no dead letter be left.
 */
export async function rebuildAllForcesBench(ctx: BenchContext, requested: number): Promise<void> {
  const events = Math.max(SCALE_WINDOW_EVENTS, Math.round(requested / SCALE_WINDOW_EVENTS) * SCALE_WINDOW_EVENTS);
  const concurrency = envInt('BENCH_REBUILD_ALL_FORCES_CONCURRENCY', 2);
  const batchSize = envInt('BENCH_REBUILD_BATCH', 5000);
  const schema = `${ctx.runId}_rebuild_all_es`;
  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 2 * concurrency + 2 });
  const store = withUpcasting(raw, upcast);
  const projectionSchemas: string[] = [];
  try {
    const seeding = now();
    const perForce = await withClient(ctx.databaseUrl, async (c) => {
      await seedScaleHistory(c, schema, 1, events);
      await c.query(`VACUUM (ANALYZE) ${schema}.events`);
      const { rows } = await c.query<{ force: ForceCode; n: number }>(
        `SELECT force, count(*)::int AS n FROM ${schema}.events GROUP BY force`,
      );
      return new Map(rows.map((r) => [r.force, r.n]));
    });
    log(`projection-rebuild-all-forces: seeded ${events} events in ${((now() - seeding) / 1000).toFixed(1)} s`);
    await waitForXminHorizon(ctx.databaseUrl, BigInt(events), ctx.signal);

    const queue = [...FORCE_CODES];
    const seconds: Partial<Record<ForceCode, number>> = {};
    const monitor = resourceMonitor();
    const started = now();
    const worker = async (): Promise<void> => {
      for (let force = queue.shift(); force !== undefined; force = queue.shift()) {
        if (ctx.signal.aborted) throw new Error('bench aborted');
        const projectionSchema = `${ctx.runId}_rebuild_all_${force.replaceAll('-', '_')}`;
        projectionSchemas.push(projectionSchema);
        const t = now();
        await rebuildForce(ctx, store, force, projectionSchema, perForce.get(force) ?? 0, batchSize);
        seconds[force] = round((now() - t) / 1000, 2);
        await dropSchema(ctx.databaseUrl, projectionSchema);
        log(`projection-rebuild-all-forces: ${force} (${perForce.get(force) ?? 0} events) in ${seconds[force]} s`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const total = (now() - started) / 1000;
    const use = monitor.stop();
    const slowest = Object.entries(seconds).sort(([, a], [, b]) => b - a)[0]!;
    emit({
      bench: 'projection-rebuild-all-forces',
      events,
      forces: FORCE_CODES.length,
      readModels: FORCE_READ_MODELS.map((m) => m.name),
      batchSize,
      concurrency,
      seconds: round(total, 1),
      minutes: round(total / 60, 1),
      logEventsPerSec: Math.round(events / total),
      // Events taken in by the builds, all read models together (each force's history is read once for its five).
      eventsAppliedPerSec: Math.round((events * FORCE_READ_MODELS.length) / total),
      slowestForce: { force: slowest[0], events: perForce.get(slowest[0] as ForceCode) ?? 0, seconds: slowest[1] },
      resources: use,
      target: null,
      targetMetric: 'reported (issue 14, item 5: the time to rebuild all 43 forces from a 10M-event log)',
      meetsTarget: null,
    });
  } finally {
    await raw.close();
    for (const s of projectionSchemas) await dropSchema(ctx.databaseUrl, s);
    await dropSchema(ctx.databaseUrl, schema);
  }
}

/** Every force read model of one force, rebuilt from the log; each must read `expected` events and dead-letter none. */
async function rebuildForce(
  ctx: BenchContext,
  store: EventStore,
  force: ForceCode,
  schema: string,
  expected: number,
  batchSize: number,
): Promise<void> {
  const projector = await rebuildingProjector(ctx, force, schema, store);
  try {
    // One pass over the force's history for its five read models (ForceProjector.rebuildAll, ADR 0044).
    const results = await projector.rebuildAll(undefined, { batchSize, stopBeforeHandOver: true, signal: ctx.signal });
    for (const result of results)
      if (result.historyEvents !== expected)
        throw new Error(`${force}: rebuild of ${result.readModel} read ${result.historyEvents} events, expected ${expected}`);
    const investigations = results.find((r) => r.readModel === 'investigations')!.version;
    const [{ rows, letters }] = await projector.manager.query<[{ rows: number; letters: number }]>(
      `SELECT (SELECT count(*)::int FROM ${buildTables(schema, investigations).table('investigations')}) AS rows,
              (SELECT count(*)::int FROM ${schema}.dead_letters) AS letters`,
    );
    if (letters !== 0 || (expected > 0 && rows === 0))
      throw new Error(`${force}: rebuild made ${rows} investigations and ${letters} dead letters`);
  } finally {
    await projector.close();
  }
}

/** A force's projector with all its read models, for a bench to rebuild them by hand (no automatic rebuild at start). */
export function rebuildingProjector(ctx: BenchContext, force: ForceCode, schema: string, store: EventStore): Promise<ForceProjector> {
  return ForceProjector.open({
    databaseUrl: ctx.databaseUrl,
    force,
    schema,
    store,
    readModels: FORCE_READ_MODELS,
    autoRebuild: false,
    poolSize: 3,
  });
}
