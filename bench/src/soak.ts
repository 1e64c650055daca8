import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { forceTopic } from '#contracts';
import { loadConfig, LocalTokenIssuer } from '#platform';
import { forceSchema, nationalSchema } from '#projections';
import { openLoop, postCase, ProjectionWatcher, type Command } from './c2p-instruments.js';
import { asServices, c2pEnvironment, FORCE, inOneProcess, type Deployment } from './command-to-projection.js';
import {
  collectGarbage,
  createTopics,
  deleteGroups,
  deleteTopics,
  dropSchema,
  emit,
  envInt,
  log,
  now,
  percentile,
  round,
  topicPrefix,
  type BenchContext,
} from './common.js';
import { fellBehind, judgeMemory, soakProblems, type MemorySample } from './scale-rules.js';

const MIB = 1024 * 1024;
/** RSS readings of another process per sample, a second apart (their median is the sample). */
const READINGS = 5;

/** Each long-running process's memory now: this process after a full GC (one-process), or each service's RSS. */
async function sampleMemory(deployment: Deployment, inProcess: boolean, atSec: number): Promise<Record<string, MemorySample>> {
  if (inProcess) {
    collectGarbage();
    const m = process.memoryUsage();
    return { 'one-process': { atSec, rssMiB: round(m.rss / MIB, 1), heapUsedMiB: round(m.heapUsed / MIB, 1) } };
  }
  const readings: Record<string, number>[] = [];
  for (let i = 0; i < READINGS; i++) {
    if (i > 0) await sleep(1000);
    readings.push(deployment.rssMiB());
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.keys(readings[0]!).map((app) => [app, { atSec, rssMiB: median(readings.map((r) => r[app]!)) }]));
}

/**
 * `soak` (opt-in: BENCH_ONLY=soak; issue 14, item 7): the long-running processes of the command path, the cases
 * service, the relay and the projector, started as the command-to-projection bench starts them (each a process of its
 * own, BENCH_SOAK_TOPOLOGY=services, the default; or all three in this process, `one-process`), under BENCH_SOAK_RATE
 * (200) new cases a second, open loop, for BENCH_SOAK_MINUTES (30) after BENCH_SOAK_WARMUP_SECONDS (60). Each
 * process's memory is sampled at the end of the warm-up (the start), every BENCH_SOAK_SAMPLE_SECONDS (60) and at the
 * end of the load: a service's RSS (the median of five readings a second apart), or in one process its RSS and live
 * heap after a full GC. Flat when each end is within 10% (+16 MiB RSS, +8 MiB heap) of its start (scale-rules.ts),
 * and meaningful only if the services kept up: the backlog (requests in flight, accepted commands not yet projected)
 * never over BENCH_SOAK_MAX_BACKLOG_SECONDS (5) of load at a sample, else the target is missed with that reason.
 * Every command must be accepted and reach the read model, else the bench fails with the reason. The load generator
 * keeps counters and one preallocated array of latencies, nothing per command once it is projected.
 */
export async function soakBench(ctx: BenchContext): Promise<void> {
  const rate = envInt('BENCH_SOAK_RATE', 200);
  const minutes = envInt('BENCH_SOAK_MINUTES', 30);
  const warmSeconds = envInt('BENCH_SOAK_WARMUP_SECONDS', 60);
  const sampleSeconds = envInt('BENCH_SOAK_SAMPLE_SECONDS', 60);
  const pollMs = envInt('BENCH_SOAK_POLL_MS', 10);
  const maxBacklogSeconds = envInt('BENCH_SOAK_MAX_BACKLOG_SECONDS', 5);
  const inProcess = process.env['BENCH_SOAK_TOPOLOGY'] === 'one-process';
  const measuredSeconds = minutes * 60;
  const esSchema = `${ctx.runId}_soak_es`;
  const prefix = topicPrefix(ctx.runId, 'soak');
  const windowMs = Number(process.env['NOM_RATE_LIMIT_WINDOW_MS'] || 60_000);
  // Twice its load a window.
  const rateLimit = (2 * rate * windowMs) / 1000;
  const environment = c2pEnvironment(ctx, { esSchema, projectionPrefix: `${ctx.runId}_soak_`, topicPrefix: prefix, rateLimit });
  const config = loadConfig(environment);
  const projectionSchema = forceSchema(FORCE, config.projectionSchemaPrefix);
  if (!projectionSchema.startsWith(ctx.runId)) throw new Error('NOM_PROJECTION_SCHEMA_PREFIX is not honoured');
  log(`soak: ${rate} commands/s for ${minutes} min after ${warmSeconds} s, ${inProcess ? 'one process' : 'a process per service'}`);

  const issuer = await LocalTokenIssuer.create(config.auth.issuer, config.auth.audience);
  let deployment: Deployment | undefined;
  let pollClient: pg.Client | undefined;
  let watcher: ProjectionWatcher | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, timeout: 4000 });
  try {
    await createTopics(ctx.kafkaBrokers, [forceTopic(FORCE, config.topicPrefix)], config.kafkaPartitions);
    const services = (deployment = inProcess ? await inOneProcess(config, issuer) : await asServices(environment, issuer));
    const token = await issuer.issue({ force: FORCE, officerId: 'AS-4471', roles: ['officer'] });
    const client = (pollClient = new pg.Client({ connectionString: ctx.databaseUrl }));
    await client.connect();
    const sql = `SELECT case_id FROM ${projectionSchema}.investigations WHERE case_id = ANY($1::uuid[])`;

    // Counters, and the latencies (send to row seen, ms) in one array allocated before the start sample.
    const latencies = new Float32Array(Math.ceil(rate * (warmSeconds + measuredSeconds) * 1.05) + 1000);
    const statuses: Record<number, number> = {};
    let sent = 0;
    let projected = 0;
    const find = async (ids: string[]): Promise<string[]> => {
      const t = now();
      const found = (await client.query<{ case_id: string }>(sql, [ids])).rows.map((r) => r.case_id);
      for (const id of found) {
        const command = w.pending.get(id);
        if (command && projected < latencies.length) latencies[projected] = t - command.sentAt;
        if (command) projected += 1;
      }
      return found;
    };
    const w = (watcher = new ProjectionWatcher(find, pollMs));
    const inFlight = new Set<Promise<void>>();
    const fire = (lagMs: number): void => {
      sent += 1;
      let command: Command | undefined;
      const done = postCase(agent, services.port, token, 'soak', (id) => {
        command = { caseId: id, sentAt: now(), sentWall: Date.now(), sendLagMs: lagMs };
      }).then((status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        // Watched from its acceptance, as command-to-projection watches (a refused one is only counted).
        if (status === 201 && command) w.pending.set(command.caseId, command);
      });
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };

    const started = now();
    const load = openLoop(rate, warmSeconds + measuredSeconds, fire, ctx.signal);
    const samples: Record<string, MemorySample>[] = [];
    const projectedAt: number[] = [];
    const backlogs: { atSec: number; backlog: number }[] = [];
    const marks = Array.from({ length: Math.floor(measuredSeconds / sampleSeconds) + 1 }, (_, i) => i * sampleSeconds);
    if (marks[marks.length - 1] !== measuredSeconds) marks.push(measuredSeconds);
    for (const at of marks) {
      // A service's readings end at the mark (the last one at the end of the load).
      await sleep(Math.max(0, started + (warmSeconds + at - (inProcess ? 0 : READINGS - 1)) * 1000 - now()));
      if (ctx.signal.aborted) break;
      samples.push(await sampleMemory(services, inProcess, at));
      projectedAt.push(projected);
      backlogs.push({ atSec: at, backlog: inFlight.size + w.pending.size });
      log(`soak at ${at} s: ${JSON.stringify(samples[samples.length - 1])}, ${sent} sent, ${projected} projected`);
    }
    await load;
    await Promise.all([...inFlight]);
    const drained = await w.drained(60_000, ctx.signal);
    const problems = soakProblems({ sent, statuses, projected, pending: w.pending.size });
    if (!drained && problems.length === 0) problems.push(`${w.pending.size} accepted commands never reached the projection`);
    if (problems.length > 0) throw new Error(`soak: ${problems.join('; ')}`);

    const behind = fellBehind(backlogs, rate, maxBacklogSeconds);
    const processes = Object.keys(samples[0] ?? {});
    const verdicts = Object.fromEntries(processes.map((p) => [p, judgeMemory(samples.map((s) => s[p]!))]));
    const window = (from: number, to: number): { p50Ms: number; p99Ms: number } => {
      const sorted = [...latencies.subarray(from, Math.min(to, latencies.length))].sort((a, b) => a - b);
      return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
    };
    const memory = Object.fromEntries(
      processes.map((p) => {
        const [start, end] = [samples[0]![p]!, samples[samples.length - 1]![p]!];
        const { reasons, ...verdict } = verdicts[p]!;
        return [
          p,
          {
            // The start and end samples as taken; the growth and the verdict compare the medians of the first and last three.
            rss: { startMiB: start.rssMiB, endMiB: end.rssMiB },
            ...(start.heapUsedMiB === undefined ? {} : { heapUsed: { startMiB: start.heapUsedMiB, endMiB: end.heapUsedMiB } }),
            ...verdict,
            ...(reasons.length > 0 ? { reasons } : {}),
          },
        ];
      }),
    );
    emit({
      bench: 'soak',
      force: FORCE,
      topology: inProcess ? 'one-process' : 'services',
      targetCommandsPerSec: rate,
      minutes,
      warmUpSeconds: warmSeconds,
      commandsSent: sent,
      commandsOk: statuses[201] ?? 0,
      projected,
      memory,
      // Each sample: every process's RSS (MiB), the backlog, and the latency (send to row seen) of those projected since the last.
      samples: samples.map((s, i) => ({
        atSec: marks[i],
        rssMiB: Object.fromEntries(processes.map((p) => [p, s[p]!.rssMiB])),
        backlog: backlogs[i]!.backlog,
        ...(i > 0 ? window(projectedAt[i - 1]!, projectedAt[i]!) : {}),
      })),
      latency: window(0, projected),
      keptUp: behind === undefined,
      ...(behind === undefined ? {} : { reasons: [behind] }),
      target: 'every process: RSS within 10% + 16 MiB (and, in this process, live heap within 10% + 8 MiB) of its start',
      targetMetric: `memory flat from the end of the warm-up to the end of the load, the backlog never over ${maxBacklogSeconds} s of load`,
      meetsTarget: behind === undefined && processes.length > 0 && processes.every((p) => verdicts[p]!.flat),
    });
  } finally {
    agent.destroy();
    await watcher?.stop().catch(() => undefined);
    await pollClient?.end().catch(() => undefined);
    await deployment?.close().catch((e: unknown) => log(`soak: closing the services failed: ${(e as Error).message}`));
    await dropSchema(ctx.databaseUrl, esSchema);
    await dropSchema(ctx.databaseUrl, projectionSchema);
    await dropSchema(ctx.databaseUrl, nationalSchema(config.projectionSchemaPrefix));
    await deleteTopics(ctx.kafkaBrokers, `${prefix}.`);
    await deleteGroups(ctx.kafkaBrokers, [`${config.topicPrefix}.projector.${FORCE}`]);
  }
}
