import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import pg from 'pg';
import { kafkaSasl } from '#messaging';
import { loadConfig } from '#platform';
import { verdictOf, type BenchOutcome } from './integrity.js';

/**
 * The bench's Kafka principal (ADR 0010), from KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD and KAFKA_SSL
 * as scripts/bench.sh exports them from `broker.sh start` (the super user: the bench creates and deletes topics).
 */
export function kafkaAuth(): { sasl?: SASLOptions; ssl?: boolean } {
  const config = loadConfig();
  return { ...(config.kafkaSasl ? { sasl: kafkaSasl(config.kafkaSasl) } : {}), ...(config.kafkaSsl ? { ssl: true } : {}) };
}

/** What every bench gets from main: where the services are, and a signal that aborts the whole run. */
export interface BenchContext {
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Unique per run: prefixes every schema (`<runId>_...`) and topic (`<runId with - >...`) of this run. */
  readonly runId: string;
  readonly signal: AbortSignal;
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemGiB: number;
  readonly node: string;
  readonly platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** What the run has emitted so far, for the exit status: a bench that errors or misses its target fails the run. */
export const outcomes: BenchOutcome[] = [];

/** Prints one result as one JSON line on stdout (the only thing the bench writes to stdout). */
export function emit(result: { bench: string; [field: string]: unknown }): void {
  const { bench, ...rest } = result;
  outcomes.push({ bench, meetsTarget: rest['meetsTarget'], ...(typeof rest['error'] === 'string' ? { error: rest['error'] } : {}) });
  process.stdout.write(`${JSON.stringify({ bench, machine: machine(), ...(smokeRun() ? { smoke: true } : {}), ...rest })}\n`);
}

/**
 * `BENCH_SMOKE=1` (what `npm test` runs, at a small BENCH_SCALE): every bench must run and keep its integrity
 * (no error, every command accepted and projected, every event read and published), but its figures are too
 * small to hold a target, so a missed target is reported and does not fail the run.
 */
export function smokeRun(): boolean {
  return process.env['BENCH_SMOKE'] === '1' || process.env['BENCH_SMOKE'] === 'true';
}

/** The run's exit status and its reasons (see verdictOf). */
export function runVerdict(): { status: 0 | 1 | 2; reasons: string[] } {
  return verdictOf(outcomes, smokeRun());
}

/** Progress and diagnostics go to stderr, so stdout stays pure JSON lines. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samples: readonly number[]): { p50: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN, mean };
}

export function now(): number {
  return performance.now();
}

export function newRunId(): string {
  return `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A topic-name-safe prefix (no underscores mixed with dots: Kafka would warn about metric name collisions). */
export function topicPrefix(runId: string, bench: string): string {
  return `${runId.replaceAll('_', '-')}-${bench}`;
}

/** Positive integer from the environment (`BENCH_*`), with a default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Event count of a bench: the bench's own variable wins, then BENCH_EVENTS (one size for every bench), then the
 * default scaled by BENCH_SCALE (e.g. 0.1 for a quick smoke run).
 */
export function eventCount(name: string, fallback: number): number {
  if (process.env[name]) return envInt(name, fallback);
  if (process.env['BENCH_EVENTS']) return envInt('BENCH_EVENTS', fallback);
  const scale = Number(process.env['BENCH_SCALE'] ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('BENCH_SCALE must be a positive number');
  return Math.max(100, Math.round(fallback * scale));
}

export function assertNotAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('bench aborted');
}

/** A plain pg client for set-up and clean-up work. */
export async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`refusing to drop ${schema}`);
  await withClient(databaseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch((error: unknown) =>
    log(`could not drop schema ${schema}: ${(error as Error).message}`),
  );
}

/** Flushes dirty buffers so that a checkpoint does not land in the middle of one side of a comparison. */
export async function checkpoint(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (c) => c.query('CHECKPOINT')).catch((error: unknown) =>
    log(`CHECKPOINT skipped: ${(error as Error).message}`),
  );
}

/**
 * The store's readAll only returns positions below the oldest running transaction of the whole cluster
 * (pg_snapshot_xmin << 20). Waits until that horizon has passed `position`, so a read of a seeded log is not
 * cut short by some other session's open transaction.
 */
export async function waitForXminHorizon(databaseUrl: string, position: bigint, signal: AbortSignal, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await withClient(databaseUrl, async (c) => {
    for (;;) {
      const { rows } = await c.query<{ horizon: string }>(
        'SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)::text AS horizon',
      );
      if (BigInt(rows[0]!.horizon) > position) return;
      assertNotAborted(signal);
      if (Date.now() > deadline)
        throw new Error(
          `the xmin horizon did not pass position ${position} within ${timeoutMs} ms (a long-running transaction elsewhere in the cluster?)`,
        );
      await sleep(50);
    }
  });
}

let gcFunction: (() => void) | undefined;

/** A full GC, so that RSS baselines are comparable (exposes gc at run time; no node flag needed). */
export function collectGarbage(): void {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  gcFunction();
}

/** Samples process RSS every `intervalMs`; `stop()` returns the peak growth over the RSS at start, in MiB. */
export function rssSampler(intervalMs = 100): { stop(): { baseMiB: number; peakMiB: number; growthMiB: number } } {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      const mib = 1024 * 1024;
      return { baseMiB: round(base / mib, 1), peakMiB: round(peak / mib, 1), growthMiB: round((peak - base) / mib, 1) };
    },
  };
}

/** Runs `count` jobs with `concurrency` workers pulling the next index; returns per-job latencies in ms. */
export async function runWorkers(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
  signal: AbortSignal,
): Promise<{ seconds: number; latenciesMs: Float64Array }> {
  const latencies = new Float64Array(count);
  let next = 0;
  const started = now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        if ((i & 255) === 0) assertNotAborted(signal);
        const t = now();
        await job(i);
        latencies[i] = now() - t;
      }
    }),
  );
  return { seconds: (now() - started) / 1000, latenciesMs: latencies };
}

/** Deletes this run's topics (those starting with `startingWith`); failures are logged, never thrown. */
export async function deleteTopics(brokers: readonly string[], startingWith: string): Promise<void> {
  const admin = new Kafka({ clientId: 'nom-bench-cleanup', brokers: [...brokers], logLevel: logLevel.WARN, ...kafkaAuth() }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(startingWith));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch (error) {
    log(`deleting topics ${startingWith}* failed: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function machineCpuTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((s, x) => s + x, 0); // user..steal (guest is inside user)
    return { busy: total - idle, total };
  } catch {
    return undefined; // not Linux
  }
}

export interface ResourceUse {
  readonly seconds: number;
  /** CPU time of this Node process (all threads), ms. */
  readonly nodeCpuMs: number;
  /** CPU time of the whole machine (every process: PostgreSQL, Kafka, this one...), ms; undefined off Linux. */
  readonly machineCpuMs: number | undefined;
  /** Busy share of the machine's CPUs, 0-100. */
  readonly machineBusyPct: number | undefined;
  /** This process's CPU as a share of one core, 0-100 per core. */
  readonly nodeCpuPct: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

/** Measures CPU (this process and the whole machine) and event-loop delay between start and `stop()`. */
export function resourceMonitor(): { stop(): ResourceUse } {
  const cpu = process.cpuUsage();
  const machineStart = machineCpuTicks();
  const t = now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return {
    stop() {
      loop.disable();
      const seconds = (now() - t) / 1000;
      const used = process.cpuUsage(cpu);
      const nodeCpuMs = (used.user + used.system) / 1000;
      const machineEnd = machineCpuTicks();
      const ticksPerSec = 100; // USER_HZ
      const machineCpuMs = machineStart && machineEnd ? ((machineEnd.busy - machineStart.busy) * 1000) / ticksPerSec : undefined;
      const machineBusyPct =
        machineStart && machineEnd
          ? (100 * (machineEnd.busy - machineStart.busy)) / Math.max(1, machineEnd.total - machineStart.total)
          : undefined;
      return {
        seconds,
        nodeCpuMs,
        machineCpuMs,
        machineBusyPct: machineBusyPct === undefined ? undefined : round(machineBusyPct, 1),
        nodeCpuPct: round(nodeCpuMs / 10 / seconds, 1),
        eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
        eventLoopDelayMaxMs: round(loop.max / 1e6, 1),
      };
    },
  };
}

/**
 * Creates topics and waits until every partition has a leader. Not `createTopics({ waitForLeaders: true })`:
 * against Kafka 4 (KRaft) its metadata poll can fail at once with UNKNOWN_TOPIC_OR_PARTITION ("This server does
 * not host this topic-partition") while the new topic propagates, and kafkajs retries only LEADER_NOT_AVAILABLE.
 */
export async function createTopics(
  brokers: readonly string[],
  topics: readonly string[],
  partitions: number,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = new Kafka({ clientId: 'nom-bench-admin', brokers: [...brokers], logLevel: logLevel.NOTHING, ...kafkaAuth() }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
      await sleep(100);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Deletes consumer groups this run used (empty once their consumers left); failures are logged, never thrown. */
export async function deleteGroups(brokers: readonly string[], groupIds: readonly string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'nom-bench-cleanup', brokers: [...brokers], logLevel: logLevel.NOTHING, ...kafkaAuth() }).admin();
  try {
    await admin.connect();
    await admin.deleteGroups([...groupIds]);
  } catch (error) {
    log(`deleting consumer groups ${groupIds.join(', ')} failed: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
