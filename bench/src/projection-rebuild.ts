import pg from 'pg';
import { upcast } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { buildTables, ForceProjector, investigationsReadModel } from '#projections';
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

const TARGET_RATIO = 0.5;
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

/** An investigation row as the raw baseline maps it (every column of `investigations`). */
interface RawRow {
  status: string;
  crimeReference: string | null;
  n100Reference: string | null;
  offence: string | null;
  offenceCode: string | null;
  investigatorId: string | null;
  supervisorId: string | null;
  reportedAt: string | null;
  recordedAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  outcomeCode: number | null;
  cancelledAt: string | null;
  reopenedCount: number;
  suspectsLinked: number;
  lastEventAt: string;
}

/** The columns of `investigations`, in the order the raw baseline's INSERT names them. */
const RAW_COLUMNS: readonly (keyof RawRow)[] = [
  'status',
  'crimeReference',
  'n100Reference',
  'offence',
  'offenceCode',
  'investigatorId',
  'supervisorId',
  'reportedAt',
  'recordedAt',
  'openedAt',
  'closedAt',
  'outcomeCode',
  'cancelledAt',
  'reopenedCount',
  'suspectsLinked',
  'lastEventAt',
];
const RAW_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'timestamptz',
  'int',
  'timestamptz',
  'int',
  'int',
  'timestamptz',
];
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Run {
  readonly seconds: number;
  readonly events: number;
  readonly rssGrowthMiB: number;
  /** Largest heap in use right after a full GC, sampled every 100k events: what the rebuild really holds. */
  readonly liveHeapMiB?: number;
}

/**
 * `projection-rebuild`: the investigations of one force (the list and the timeline) rebuilt from the event store's
 * history through the projection runtime (ForceProjector.rebuild: readAll by force and position, upcast, the read
 * model's batch apply, progress, one transaction per batch), against the raw limit on the same events into the same
 * tables: a plain keyset SELECT of the events in the same batches plus plain multi-row unnest INSERTs of the
 * resulting rows, full width: an upsert on the key of one `investigations` row per case each batch touches, mapped
 * from the events as plainly as possible (no fold, no read of existing rows), and one `investigation_timeline` row
 * per event. At two log sizes (a quarter and the full size), with peak RSS growth, to show memory stays flat.
 */
export async function projectionRebuildBench(ctx: BenchContext, total: number): Promise<void> {
  const schema = `${ctx.runId}_rebuild_es`;
  const batchSize = envInt('BENCH_REBUILD_BATCH', 5000);
  const sizes = [Math.floor(total / 4), total];
  log(`projection-rebuild: sizes ${sizes.join(', ')}, batch ${batchSize}, schema ${schema}`);
  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 8 });
  const store = withUpcasting(raw, upcast);
  const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 4 });
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
        const sample = (): void => {
          collectGarbage();
          liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
        };
        const result = await projector.rebuild('investigations', {
          batchSize,
          stopBeforeHandOver: true,
          signal: ctx.signal,
          onProgress: (events) => {
            if (events % 100_000 < batchSize) sample();
          },
        });
        const seconds = (now() - t) / 1000;
        const rssGrowthMiB = rss.stop().growthMiB;
        const built = buildTables(projectionSchema, result.version);
        const [{ n, lines }] = await projector.manager.query<[{ n: number; lines: number }]>(
          `SELECT (SELECT count(*)::int FROM ${built.table('investigations')}) AS n, (SELECT count(*)::int FROM ${built.table('investigation_timeline')}) AS lines`,
        );
        if (n !== Math.ceil(size / EVENTS_PER_CASE))
          throw new Error(`rebuild made ${n} rows, expected ${Math.ceil(size / EVENTS_PER_CASE)}`);
        if (lines !== size) throw new Error(`rebuild made ${lines} timeline lines, expected ${size}`);
        return { seconds, events: result.historyEvents, rssGrowthMiB, liveHeapMiB: round(liveHeap / 1024 / 1024, 1) };
      } finally {
        await projector.close();
        await dropSchema(ctx.databaseUrl, projectionSchema);
      }
    };

    const rawRun = async (size: number, attempt: number): Promise<Run> => {
      const target = `${ctx.runId}_rebuild_raw${size}_${attempt}`;
      projectionSchemas.push(target);
      await withClient(ctx.databaseUrl, async (c) => {
        await c.query(`CREATE SCHEMA ${target}`);
        for (const ddl of investigationsReadModel.createTables(buildTables(target, 1))) await c.query(ddl);
      });
      const tables = buildTables(target, 1);
      const columns = RAW_COLUMNS.map(snake);
      const upsert = `INSERT INTO ${tables.table('investigations')} (case_id, ${columns.join(', ')})
         SELECT * FROM unnest($1::uuid[], ${RAW_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ')})
         ON CONFLICT (case_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
      const timeline = `INSERT INTO ${tables.table('investigation_timeline')} (case_id, stream_id, revision, event_type, occurred_at, actor)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
         ON CONFLICT (stream_id, revision) DO NOTHING`;
      collectGarbage();
      const rss = rssSampler(100);
      const t = now();
      let events = 0;
      let position = '0';
      for (;;) {
        const { rows } = await pool.query<{
          position: string;
          stream_id: string;
          revision: string;
          type: string;
          data: unknown;
          metadata: { occurredAt: string; actor: string };
        }>(
          `SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM ${schema}.events
           WHERE position > $1 AND force = $2 ORDER BY position LIMIT ${batchSize}`,
          [position, FORCE],
        );
        if (rows.length === 0) break;
        events += rows.length;
        position = rows[rows.length - 1]!.position;
        // The resulting rows, full width (every column of both tables), mapped as plainly as possible.
        const byCase = new Map<string, RawRow>();
        for (const r of rows) {
          const d = r.data as Record<string, unknown>;
          const at = r.metadata.occurredAt;
          let row = byCase.get(d['caseId'] as string);
          if (!row) {
            row = {
              status: 'reported',
              crimeReference: null,
              n100Reference: null,
              offence: null,
              offenceCode: null,
              investigatorId: null,
              supervisorId: null,
              reportedAt: null,
              recordedAt: null,
              openedAt: null,
              closedAt: null,
              outcomeCode: null,
              cancelledAt: null,
              reopenedCount: 0,
              suspectsLinked: 0,
              lastEventAt: at,
            };
            byCase.set(d['caseId'] as string, row);
          }
          row.lastEventAt = at;
          if (typeof d['crimeReference'] === 'string') row.crimeReference = d['crimeReference'];
          if (typeof d['offence'] === 'string') row.offence = d['offence'];
          if (typeof d['offenceCode'] === 'string') row.offenceCode = d['offenceCode'];
          if (typeof d['officerId'] === 'string') row.investigatorId = d['officerId'];
          if (typeof d['outcomeCode'] === 'number') row.outcomeCode = d['outcomeCode'];
          if (typeof d['reportedAt'] === 'string') row.reportedAt = d['reportedAt'];
          if (typeof d['recordedAt'] === 'string') row.recordedAt = d['recordedAt'];
          if (typeof d['openedAt'] === 'string') row.openedAt = d['openedAt'];
        }
        const cases = [...byCase];
        await pool.query(upsert, [cases.map(([id]) => id), ...RAW_COLUMNS.map((k) => cases.map(([, r]) => r[k]))]);
        await pool.query(timeline, [
          rows.map((r) => (r.data as { caseId: string }).caseId),
          rows.map((r) => r.stream_id),
          rows.map((r) => r.revision),
          rows.map((r) => r.type),
          rows.map((r) => r.metadata.occurredAt),
          rows.map((r) => r.metadata.actor),
        ]);
        if (rows.length < batchSize) break;
      }
      const seconds = (now() - t) / 1000;
      const rssGrowthMiB = rss.stop().growthMiB;
      await dropSchema(ctx.databaseUrl, target);
      return { seconds, events, rssGrowthMiB };
    };

    const rounds = envInt('BENCH_REBUILD_ROUNDS', 1);
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
      for (let r = 0; r < rounds; r++) {
        raws.push(await rawRun(size, r));
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
        `projection-rebuild ${size}: rebuild ${Math.round(rate)} events/s, raw ${Math.round(rawRate)} events/s, ratio ${ratio.toFixed(2)}, rss +${growth} MiB, live heap ${heap} MiB`,
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
        ratio: round(ratio, 3),
        seconds: round(Math.min(...runs.map((x) => x.seconds)), 2),
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
        target: TARGET_RATIO,
        targetMetric: 'ratio >= target',
        meetsTarget: ratio >= TARGET_RATIO,
      });
      quarterGrowth = growth;
      quarterHeap = heap;
    }
  } finally {
    await pool.end();
    await raw.close();
    for (const s of projectionSchemas) await dropSchema(ctx.databaseUrl, s);
    await dropSchema(ctx.databaseUrl, schema);
  }
}
