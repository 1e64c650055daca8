import type pg from 'pg';
import { upcast } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { buildTables, ForceProjector, investigationsReadModel, type ReadModelTables } from '#projections';
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
import { rebuildAllForcesBench } from './rebuild-all-forces.js';
import { rawCopyRebuild } from './rebuild-raw.js';

/** Issue 14, item 5: at least 80k events/s (Marten's bulk figure), or at least 0.8 of the raw limit writing the same rows by COPY. */
const TARGET_EVENTS_PER_SEC = 80_000;
const TARGET_RATIO = 0.8;
const FORCE = 'avon-somerset';
const EVENTS_PER_CASE = 5;

/**
 * Seeds events `from`..`to` (1-based) straight into the store's table with one INSERT ... SELECT per 100k: cases
 * of five events each (crime recorded, investigation opened, investigator assigned, reassigned, outcome), valid
 * catalogue events of one force. Positions are the ordinals (below any read horizon).
 */
export async function seedCaseHistory(client: pg.Client, schema: string, from: number, to: number): Promise<void> {
  for (let start = from; start <= to; start += 100_000) {
    const end = Math.min(to, start + 99_999);
    await client.query(
      `INSERT INTO ${schema}.events (position, event_id, stream_id, revision, type, force, data, metadata)
       SELECT i, md5('event' || i)::uuid, 'case-' || c.id, k,
              CASE k WHEN 0 THEN 'uk.police.nom.cases.crime-recorded.v2' WHEN 1 THEN 'uk.police.nom.cases.investigation-opened.v1'
                     WHEN 4 THEN 'uk.police.nom.cases.outcome-recorded.v1' ELSE 'uk.police.nom.cases.investigator-assigned.v1' END,
              $1,
              CASE k
                WHEN 0 THEN jsonb_build_object('caseId', c.id, 'crimeReference', 'AS/26/' || lpad(c.n::text, 7, '0'), 'offence', 'sexual-assault',
                                               'offenceCode', '20A', 'n100Reference', NULL, 'reportedAt', '2026-11-02T21:14:00Z', 'recordedAt', '2026-11-03T08:30:00Z')
                WHEN 1 THEN jsonb_build_object('caseId', c.id, 'openedAt', '2026-11-03T09:00:00Z')
                WHEN 4 THEN jsonb_build_object('caseId', c.id, 'outcomeCode', 1 + c.n % 18, 'recordedAt', '2027-03-01T10:00:00Z')
                ELSE jsonb_build_object('caseId', c.id, 'officerId', 'AS-' || (1000 + (c.n * k) % 500), 'assignedAt', '2026-11-03T09:05:00Z')
              END,
              jsonb_build_object('force', $1::text, 'occurredAt', '2026-11-03T09:00:00Z', 'correlationId', md5('corr' || c.n)::uuid,
                                 'causationId', md5('caus' || i)::uuid, 'actor', 'AS-4471', 'modelVersion', '2026.1', 'classification', 'OFFICIAL-SENSITIVE')
       FROM generate_series($2::bigint, $3::bigint) AS i,
            LATERAL (SELECT (i - 1) / ${EVENTS_PER_CASE} AS n, ((i - 1) % ${EVENTS_PER_CASE})::int AS k) AS g,
            LATERAL (SELECT g.n, md5('case' || g.n)::uuid AS id) AS c`,
      [FORCE, start, end],
    );
  }
}

interface Run {
  readonly seconds: number;
  readonly events: number;
  readonly rssGrowthMiB: number;
  /** Largest heap in use right after a full GC, sampled every 100k events: what the rebuild really holds. */
  readonly liveHeapMiB?: number;
}

/**
 * `projection-rebuild` (issue 14, item 5): the investigations of one force (the list and the timeline) rebuilt from the
 * event store's history through the projection runtime (ForceProjector.rebuild: readAll by force and position,
 * upcast, the catalogue check, the read model's fold, the bulk path's COPY of new rows, progress in the same
 * transaction, one transaction per batch, the plain indexes made at the end), against the raw limit that writes the
 * same rows into the same tables by COPY (rebuild-raw.ts). At two log sizes (a quarter and the full size), with the
 * live heap, to show memory stays flat. With BENCH_REBUILD_ALL_FORCES_EVENTS, then every force's read models rebuilt
 * from a national log of that many events (rebuild-all-forces.ts).
 */
export async function projectionRebuildBench(ctx: BenchContext, total: number): Promise<void> {
  const schema = `${ctx.runId}_rebuild_es`;
  const batchSize = envInt('BENCH_REBUILD_BATCH', 5000);
  const sizes = [Math.floor(total / 4), total];
  log(`projection-rebuild: sizes ${sizes.join(', ')}, batch ${batchSize}, schema ${schema}`);
  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 8 });
  const store = withUpcasting(raw, upcast);
  const projectionSchemas: string[] = [];
  try {
    const rebuild = async (size: number, attempt: number): Promise<Run> => {
      const projectionSchema = `${ctx.runId}_rebuild_p${size}_${attempt}`;
      projectionSchemas.push(projectionSchema);
      const projector = await ForceProjector.open({
        databaseUrl: ctx.databaseUrl,
        force: FORCE,
        schema: projectionSchema,
        store,
        readModels: [investigationsReadModel],
        autoRebuild: false,
        poolSize: 3,
      });
      try {
        collectGarbage();
        const rss = rssSampler(100);
        const t = now();
        let liveHeap = 0;
        // The bench's own full GCs, taken out of the rebuild's time (the raw limit has none).
        let sampling = 0;
        const sample = (): void => {
          const started = now();
          collectGarbage();
          liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
          sampling += now() - started;
        };
        const result = await projector.rebuild('investigations', {
          batchSize,
          stopBeforeHandOver: true,
          signal: ctx.signal,
          onProgress: (events) => {
            if (events % 100_000 < batchSize) sample();
          },
        });
        const seconds = (now() - t - sampling) / 1000;
        const rssGrowthMiB = rss.stop().growthMiB;
        sample();
        await checkRows((sql) => projector.manager.query<Made[]>(sql), buildTables(projectionSchema, result.version), size);
        return { seconds, events: result.historyEvents, rssGrowthMiB, liveHeapMiB: round(liveHeap / 1024 / 1024, 1) };
      } finally {
        await projector.close();
        await dropSchema(ctx.databaseUrl, projectionSchema);
      }
    };

    const rawRun = async (size: number, attempt: number): Promise<Run> => {
      const target = `${ctx.runId}_rebuild_raw${size}_${attempt}`;
      projectionSchemas.push(target);
      collectGarbage();
      const rss = rssSampler(100);
      const t = now();
      const events = await rawCopyRebuild(ctx.databaseUrl, schema, target, FORCE, batchSize);
      const seconds = (now() - t) / 1000;
      const rssGrowthMiB = rss.stop().growthMiB;
      await withClient(ctx.databaseUrl, (c) => checkRows(async (sql) => (await c.query<Made>(sql)).rows, buildTables(target, 1), size));
      await dropSchema(ctx.databaseUrl, target);
      return { seconds, events, rssGrowthMiB };
    };

    const rounds = envInt('BENCH_REBUILD_ROUNDS', 2);
    let seeded = 0;
    let quarterGrowth: number | undefined;
    let quarterHeap: number | undefined;
    for (const size of sizes) {
      const t = now();
      await withClient(ctx.databaseUrl, async (c) => {
        await seedCaseHistory(c, schema, seeded + 1, size);
        await c.query(`VACUUM (ANALYZE) ${schema}.events`);
      });
      log(`projection-rebuild: seeded ${size - seeded} events in ${((now() - t) / 1000).toFixed(1)} s`);
      seeded = size;
      await waitForXminHorizon(ctx.databaseUrl, BigInt(size), ctx.signal);
      const runs: Run[] = [];
      const raws: Run[] = [];
      // Raw and rebuild alternate, so that a burst of load elsewhere on the machine falls on both alike; each starts
      // from a checkpoint, so that neither pays for the WAL the one before it wrote (both write about the same, and a
      // checkpoint that fell inside one run and not the other moved the ratio by a fifth from run to run).
      for (let r = 0; r < rounds; r++) {
        await checkpoint(ctx.databaseUrl);
        raws.push(await rawRun(size, r));
        await checkpoint(ctx.databaseUrl);
        runs.push(await rebuild(size, r));
        if (ctx.signal.aborted) throw new Error('bench aborted');
      }
      for (const run of [...runs, ...raws]) if (run.events !== size) throw new Error(`read ${run.events} events, expected ${size}`);
      const best = (xs: Run[]): number => Math.max(...xs.map((x) => x.events / x.seconds));
      const rate = best(runs);
      const rawRate = best(raws);
      const ratio = rate / rawRate;
      const growth = Math.max(...runs.map((x) => x.rssGrowthMiB));
      const heap = Math.max(...runs.map((x) => x.liveHeapMiB ?? 0));
      log(
        `projection-rebuild ${size}: rebuild ${Math.round(rate)} events/s, raw COPY ${Math.round(rawRate)} events/s, ratio ${ratio.toFixed(2)}, rss +${growth} MiB, live heap ${heap} MiB`,
      );
      emit({
        bench: 'projection-rebuild',
        readModel: 'investigations',
        events: size,
        rows: Math.ceil(size / EVENTS_PER_CASE),
        batchSize,
        rounds,
        eventsPerSec: Math.round(rate),
        rawLimit: Math.round(rawRate),
        rawLimitKind: 'COPY of the same rows into the same tables',
        ratio: round(ratio, 3),
        seconds: round(Math.min(...runs.map((x) => x.seconds)), 2),
        rawSeconds: round(Math.min(...raws.map((x) => x.seconds)), 2),
        peakRssGrowthMiB: growth,
        rawPeakRssGrowthMiB: Math.max(...raws.map((x) => x.rssGrowthMiB)),
        liveHeapMiB: heap,
        // Peak RSS growth depends on when V8 chooses to collect (noisy on a shared machine); the heap left after a
        // full GC is what the rebuild holds, and it is what must not grow with the number of events.
        ...(quarterGrowth !== undefined && quarterHeap !== undefined
          ? {
              peakRssGrowthAtQuarterSizeMiB: quarterGrowth,
              liveHeapAtQuarterSizeMiB: quarterHeap,
              memoryGrowsWithLog: heap > quarterHeap * 1.25 + 8,
            }
          : {}),
        target: { eventsPerSec: TARGET_EVENTS_PER_SEC, ratio: TARGET_RATIO },
        targetMetric: 'eventsPerSec >= target.eventsPerSec or ratio >= target.ratio',
        meetsTarget: rate >= TARGET_EVENTS_PER_SEC || ratio >= TARGET_RATIO,
      });
      quarterGrowth = growth;
      quarterHeap = heap;
    }
  } finally {
    await raw.close();
    for (const s of projectionSchemas) await dropSchema(ctx.databaseUrl, s);
    await dropSchema(ctx.databaseUrl, schema);
  }
  const allForcesEvents = envInt('BENCH_REBUILD_ALL_FORCES_EVENTS', 0);
  if (allForcesEvents > 0) await rebuildAllForcesBench(ctx, allForcesEvents);
}

interface Made {
  n: number;
  lines: number;
  indexes: number;
}

/**
 * The rows a rebuild of `size` seeded events must leave: one investigation per case, one timeline line per event, and
 * every index the read model declares (a rebuild makes its plain indexes at the end).
 */
async function checkRows(query: (sql: string) => Promise<Made[]>, built: ReadModelTables, size: number): Promise<void> {
  const [investigations, timeline] = [built.table('investigations'), built.table('investigation_timeline')];
  const [made] = await query(
    `SELECT (SELECT count(*)::int FROM ${investigations}) AS n, (SELECT count(*)::int FROM ${timeline}) AS lines,
            (SELECT count(*)::int FROM pg_index WHERE indrelid IN ('${investigations}'::regclass, '${timeline}'::regclass)) AS indexes`,
  );
  const { n, lines, indexes } = made!;
  if (n !== Math.ceil(size / EVENTS_PER_CASE)) throw new Error(`made ${n} investigations, expected ${Math.ceil(size / EVENTS_PER_CASE)}`);
  if (lines !== size) throw new Error(`made ${lines} timeline lines, expected ${size}`);
  const declared = investigationsReadModel.createTables(built).length;
  if (indexes !== declared) throw new Error(`made ${indexes} indexes, expected ${declared} (primary keys and plain indexes)`);
}

/** A checkpoint (superuser or pg_checkpoint): each measured run then starts with no dirty WAL of the run before it. */
async function checkpoint(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (c) => c.query('CHECKPOINT'));
}
