import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { PostgresEventStore } from '#event-store';
import { dropSchema, emit, log, round, waitForXminHorizon, withClient, type BenchContext } from './common.js';

/** Issue 14, item 6: at least 100k events/s pseudonymised, absolute (the raw limit's ratio is reported beside it). */
const TARGET_EVENTS_PER_SEC = 100_000;
const TARGET_MEMORY_SPREAD_MIB = 50;
/** The CLI's default `--batch-size`: the bench measures the tool as shipped. */
const BATCH = 2000;
/** Events seeded per statement: a 10M log is written in bounded transactions. */
const SEED_SLICE = 1_000_000;
/** The export runs as `npm run nom` runs it (its Node flags included): the `nom` script of package.json, after `node`. */
export const NOM_COMMAND = (() => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [node, ...args] = pkg.scripts['nom']!.split(/\s+/);
  if (node !== 'node' || !args.includes('dist/scripts/nom.js')) throw new Error(`unexpected nom script: ${pkg.scripts['nom']}`);
  return args;
})();

export interface ChildRun {
  /** Seconds the work took inside the child (process start-up excluded). */
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly peakRssMiB: number;
  readonly events: number;
}

/** Runs a node script under /usr/bin/time: its peak RSS is measured from outside, by the kernel's accounting. */
export async function measured(args: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), 'nom-bench-time-'));
  const timeFile = join(dir, 'time');
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M %e', '-o', timeFile, process.execPath, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout, stderr }));
    });
    if (code !== 0) throw new Error(`${args[0]} exited ${code}: ${stderr.slice(-2000)}`);
    const [kb, elapsed] = (await readFile(timeFile, 'utf8')).trim().split(/\s+/).slice(-2).map(Number);
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; events?: number; eventCount?: number };
    return {
      seconds: report.seconds,
      wallSeconds: elapsed!,
      peakRssMiB: round(kb! / 1024, 1),
      events: report.events ?? report.eventCount ?? 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The export CLI's environment for a bench: the log's schema, an audit schema of its own and a throwaway study secret. */
export function exportEnv(schema: string, auditSchema: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NOM_EVENT_STORE_SCHEMA: schema,
    NOM_AUDIT_SCHEMA: auditSchema,
    NOM_RESEARCH_KEY: randomBytes(32).toString('base64'),
  };
}

/**
 * `nom research export --format jsonl` (pseudonymised) of the whole log into `out`, then its raw limit (raw-jsonl.js:
 * the same rows by a plain keyset query written as JSON lines), both measured as child processes; the files are
 * removed after each run, and both must have read `expected` events.
 */
export async function exportAgainstRaw(
  ctx: BenchContext,
  env: NodeJS.ProcessEnv,
  run: {
    readonly schema: string;
    readonly out: string;
    readonly study: string;
    readonly progressInterval: number;
    readonly expected: number;
  },
): Promise<{ readonly exported: ChildRun; readonly raw: ChildRun }> {
  const exportDir = join(run.out, 'export');
  const rawFile = join(run.out, 'raw.jsonl');
  const study = ['--study', run.study, '--purpose', 'benchmark', '--requester', 'bench', '--format', 'jsonl'];
  const options = ['--out', exportDir, '--batch-size', String(BATCH), '--progress-interval', String(run.progressInterval)];
  const exported = await measured([...NOM_COMMAND, 'research', 'export', ...study, ...options], env, ctx.signal);
  await rm(exportDir, { recursive: true, force: true });
  const raw = await measured(['dist/bench/src/raw-jsonl.js', run.schema, rawFile, String(BATCH)], env, ctx.signal);
  await rm(rawFile, { force: true });
  if (exported.events !== run.expected || raw.events !== run.expected)
    throw new Error(`exported ${exported.events} events, raw read ${raw.events}, expected ${run.expected}`);
  return { exported, raw };
}

/**
 * Seeds events fast, straight into the log's table: INSERT ... SELECT generate_series. Shaped like the log the
 * command path writes: 10 events per case (one crime reference, one officer per case), two events per command
 * (correlation id = causation id, as DecisionRunner stamps them), four event types, one with free text.
 */
export async function seed(databaseUrl: string, schema: string, from: number, to: number): Promise<void> {
  const t = performance.now();
  for (let first = from; first <= to; first += SEED_SLICE) {
    const last = Math.min(to, first + SEED_SLICE - 1);
    await withClient(databaseUrl, (c) => seedSlice(c, schema, first, last));
  }
  await withClient(databaseUrl, (c) => c.query(`VACUUM (ANALYZE) ${schema}.events`));
  // The seed's dirty pages are written out now, not while the export (measured first) reads: fair to both runs.
  await withClient(databaseUrl, (c) => c.query('CHECKPOINT')).catch((error: unknown) =>
    log(`research-export: no CHECKPOINT (${String(error)})`),
  );
  log(`research-export: seeded positions ${from}..${to} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

function seedSlice(c: pg.ClientBase, schema: string, from: number, to: number): Promise<unknown> {
  return c.query(
    `
      INSERT INTO ${schema}.events (position, event_id, stream_id, revision, type, force, data, metadata, recorded_at)
      SELECT i, md5('e' || i)::uuid, 'case-' || md5('c' || (i / 10))::uuid, i % 10,
        CASE i % 4 WHEN 0 THEN 'uk.police.nom.cases.investigation-opened.v1' WHEN 1 THEN 'uk.police.nom.cases.investigator-assigned.v1'
                   WHEN 2 THEN 'uk.police.nom.victims.update-given.v1' ELSE 'uk.police.nom.cases.crime-recorded.v2' END,
        f.force,
        CASE i % 4
          WHEN 0 THEN jsonb_build_object('caseId', md5('c' || (i / 10))::uuid, 'openedAt', t.at)
          WHEN 1 THEN jsonb_build_object('caseId', md5('c' || (i / 10))::uuid, 'officerId', 'AS-' || ((i / 10) % 5000), 'assignedAt', t.at)
          WHEN 2 THEN jsonb_build_object('caseId', md5('c' || (i / 10))::uuid, 'victimId', md5('v' || (i / 10))::uuid, 'about', 'investigation-progress',
                        'channel', 'phone', 'summary', 'Told the victim that the digital download is still awaited, case ' || i, 'givenAt', t.at)
          ELSE jsonb_build_object('caseId', md5('c' || (i / 10))::uuid, 'crimeReference', 'AS/26/' || lpad(((i / 10) % 1000000)::text, 6, '0'),
                        'offence', 'rape-of-female-16-plus', 'offenceCode', '19C', 'n100Reference', null, 'reportedAt', t.at, 'recordedAt', t.at)
        END,
        jsonb_build_object('force', f.force, 'occurredAt', t.at, 'correlationId', md5('r' || (i / 2))::uuid, 'causationId', md5('r' || (i / 2))::uuid,
          'actor', 'AS-' || ((i / 10) % 5000), 'modelVersion', '2026.' || (1 + (i / 10) % 2), 'classification', 'OFFICIAL-SENSITIVE'),
        now()
      FROM generate_series($1::bigint, $2::bigint) AS i,
        LATERAL (SELECT to_char(timestamptz '2024-01-01T00:00:00Z' + (i % 1000) * interval '1 day' + (i % 86400) * interval '1 second',
                                'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at) t,
        LATERAL (SELECT (ARRAY['avon-somerset', 'wiltshire', 'kent', 'durham'])[1 + (i % 4)] AS force) f`,
    [from, to],
  );
}

/**
 * `research-export`: `nom research export --format jsonl` (pseudonymised) over the whole log, against the raw
 * limit (a plain keyset query of the same rows written as JSON lines), both as child processes under
 * /usr/bin/time; at `small` (default 1M) and `large` (default 5M; BENCH_EXPORT_LARGE_EVENTS=10000000 for the 10M
 * log) events, to show peak memory stays flat. Target (issue 14, item 6): at least 100k events/s at each size, and
 * peak RSS at the large size within 50 MiB of the small size; the ratio to the raw limit is reported beside it.
 */
export async function researchExportBench(ctx: BenchContext, small: number, large: number): Promise<void> {
  const schema = `${ctx.runId}_research`;
  const auditSchema = `${ctx.runId}_research_audit`;
  const store = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema });
  await store.close();
  const out = await mkdtemp(join(tmpdir(), 'nom-bench-export-'));
  const env = exportEnv(schema, auditSchema);
  try {
    let seeded = 0;
    const peaks: number[] = [];
    for (const size of [small, large]) {
      await seed(ctx.databaseUrl, schema, seeded + 1, size);
      seeded = size;
      // The export reads below the cluster's read horizon: wait until another session's transaction no longer holds it back.
      await waitForXminHorizon(ctx.databaseUrl, BigInt(size), ctx.signal, 600_000);
      const { exported, raw: rawRun } = await exportAgainstRaw(ctx, env, {
        schema,
        out,
        study: 'bench',
        progressInterval: 10_000,
        expected: size,
      });
      peaks.push(exported.peakRssMiB);
      const rate = size / exported.seconds;
      const rawRate = size / rawRun.seconds;
      log(
        `research-export ${size}: ${Math.round(rate)} events/s (raw ${Math.round(rawRate)}), peak RSS ${exported.peakRssMiB} MiB (raw ${rawRun.peakRssMiB})`,
      );
      emit({
        bench: 'research-export',
        events: size,
        format: 'jsonl',
        batchSize: BATCH,
        eventsPerSec: Math.round(rate),
        wallEventsPerSec: Math.round(size / exported.wallSeconds),
        rawLimit: Math.round(rawRate),
        ratio: round(rate / rawRate, 3),
        peakRssMiB: exported.peakRssMiB,
        rawPeakRssMiB: rawRun.peakRssMiB,
        ...(peaks.length > 1 ? { peakRssAtSmallMiB: peaks[0], peakRssSpreadMiB: round(Math.abs(peaks[1]! - peaks[0]!), 1) } : {}),
        target: { eventsPerSec: TARGET_EVENTS_PER_SEC, peakRssSpreadMiB: TARGET_MEMORY_SPREAD_MIB },
        targetMetric:
          'eventsPerSec >= 100000 (absolute; ratio to the raw limit reported); peak RSS at the large size within 50 MiB of the small size',
        meetsTarget: rate >= TARGET_EVENTS_PER_SEC && (peaks.length < 2 || Math.abs(peaks[1]! - peaks[0]!) <= TARGET_MEMORY_SPREAD_MIB),
      });
    }
  } finally {
    await rm(out, { recursive: true, force: true });
    await dropSchema(ctx.databaseUrl, schema);
    await dropSchema(ctx.databaseUrl, auditSchema);
  }
}
