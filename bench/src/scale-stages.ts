import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { FORCE_CODES, forceTopic, type ForceCode } from '#contracts';
import type { CheckpointStore, DeadLetterStore, EventStore } from '#event-store';
import { KafkaMessageBus, Relay } from '#messaging';
import { loadConfig } from '#platform';
import { buildTables, FORCE_READ_MODELS } from '#projections';
import { rows } from './append.js';
import { rebuildingProjector } from './rebuild-all-forces.js';
import {
  assertNotAborted,
  createTopics,
  deleteTopics,
  dropSchema,
  kafkaAuth,
  resourceMonitor,
  round,
  runWorkers,
  summarise,
  topicPrefix,
  withClient,
  type BenchContext,
  type ResourceUse,
} from './common.js';
import { readRawKeyset, readThroughStore, type ReadRun } from './read-all.js';
import { topicRecordCount } from './relay.js';
import { exportAgainstRaw, exportEnv } from './research-export.js';

/*
 * The scale bench's stages (issue 14, item 7), each run once at each log size by bench/src/scale.ts, through the
 * product's own code paths with their defaults, and built from the single-size benches' pieces (read-all.ts,
 * relay.ts, research-export.ts, append.ts). Each returns what it handled, its wall-clock time and what else it saw;
 * each checks that it handled every event it should have, and throws otherwise.
 */

export type ScaleStore = EventStore & CheckpointStore & DeadLetterStore;

/** Relay batches before the timed part (20 of 500: every topic's partitions written once, in the scale history). */
const RELAY_WARM_BATCHES = 20;

/** One stage at one log size. `seconds` is wall clock; `extra` goes into the stage's JSON line as it is. */
export interface StageFigures {
  readonly events: number;
  readonly seconds: number;
  readonly extra: Record<string, unknown>;
}

/** Load while a stage ran: this process's CPU per event (µs) and how busy the machine was (other engineers' work shows here). */
function load(use: ResourceUse, events: number): Record<string, unknown> {
  return { nodeCpuUsPerEvent: round((use.nodeCpuMs * 1000) / events, 1), machineBusyPct: use.machineBusyPct ?? null };
}

/**
 * `read-all`: the whole log through store.readAll (batches of 1000, as the read-all bench), then the raw keyset SELECT,
 * `rounds` times; the best round of each, as the read-all bench takes it.
 */
export async function readAllStage(
  store: EventStore,
  pool: pg.Pool,
  schema: string,
  logEvents: number,
  rounds: number,
): Promise<StageFigures> {
  let best: { run: ReadRun; use: ResourceUse } | undefined;
  let rawBest: ReadRun | undefined;
  for (let r = 0; r < rounds; r++) {
    const monitor = resourceMonitor();
    const run = await readThroughStore(store, 1000);
    const use = monitor.stop();
    const raw = await readRawKeyset(pool, schema, 1000);
    if (run.events !== logEvents || raw.events !== logEvents)
      throw new Error(`read-all read ${run.events} events (raw ${raw.events}), expected ${logEvents}`);
    if (!best || run.seconds < best.run.seconds) best = { run, use };
    if (!rawBest || raw.seconds < rawBest.seconds) rawBest = raw;
  }
  const { run, use } = best!;
  return {
    events: run.events,
    seconds: run.seconds,
    extra: {
      rounds,
      rawUsPerEvent: round((rawBest!.seconds * 1e6) / rawBest!.events),
      rssGrowthMiB: run.rssGrowthMiB,
      ...load(use, run.events),
    },
  };
}

/**
 * `relay`: the Relay (its defaults: batch size, producer settings) publishing the whole log to fresh topics of the 43
 * forces, from no checkpoint, until caught up; the cost per event past its start-up.
 */
export async function relayStage(ctx: BenchContext, store: ScaleStore, size: number, logEvents: number): Promise<StageFigures> {
  const prefix = topicPrefix(ctx.runId, `scale${size}`);
  const topics = FORCE_CODES.map((f) => forceTopic(f, prefix));
  const partitions = loadConfig().kafkaPartitions;
  const bus = new KafkaMessageBus({ brokers: ctx.kafkaBrokers, clientId: 'nom-bench-scale-relay', partitions, ...kafkaAuth() });
  const admin = new Kafka({ clientId: 'nom-bench-scale', brokers: [...ctx.kafkaBrokers], logLevel: logLevel.WARN, ...kafkaAuth() }).admin();
  try {
    // Created up front, so the bus's own ensureTopics finds them (see createTopics on why not waitForLeaders).
    await createTopics(ctx.kafkaBrokers, topics, partitions);
    await admin.connect();
    const relay = new Relay(store, bus, { name: `bench-scale-relay-${size}`, topicPrefix: prefix, forces: FORCE_CODES });
    // Start-up, not timed: the first batches, in which the producer first writes to each of the 43 topics' partitions
    // (reading each one's tail first, ADR 0021): a cost per partition, not per event, reported on its own.
    const warmStarted = performance.now();
    await relay.relayBatches(RELAY_WARM_BATCHES, () => undefined, ctx.signal);
    const startUp = { events: relay.published, seconds: round((performance.now() - warmStarted) / 1000, 2) };
    const monitor = resourceMonitor();
    while ((await relay.relayBatches(Number.POSITIVE_INFINITY, () => undefined, ctx.signal)) > 0) assertNotAborted(ctx.signal);
    const use = monitor.stop();
    const onTopics = await topicRecordCount(admin, topics);
    if (relay.published !== logEvents || onTopics !== logEvents || relay.deadLetters.recorded !== 0)
      throw new Error(
        `relay published ${relay.published} (topics hold ${onTopics}, ${relay.deadLetters.recorded} dead-lettered), expected ${logEvents}`,
      );
    const events = relay.published - startUp.events;
    return { events, seconds: use.seconds, extra: { topics: topics.length, partitions, startUp, ...load(use, events) } };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await deleteTopics(ctx.kafkaBrokers, `${prefix}.`);
  }
}

/**
 * `rebuild`: every force read model (FORCE_READ_MODELS) of one force rebuilt from the log's history in turn, as
 * `ForceProjector.rebuild` does it (stopped before the hand-over, as the projection-rebuild bench does: no live
 * consumer). Cost per event of the force's history, all read models together.
 */
export async function rebuildStage(ctx: BenchContext, store: EventStore, force: ForceCode, size: number): Promise<StageFigures> {
  const schema = `${ctx.runId}_scale_p${size}`;
  const [forceEvents, forceStreams] = await withClient(ctx.databaseUrl, async (c) => {
    const { rows: counted } = await c.query<{ events: number; cases: number }>(
      `SELECT (SELECT count(*)::int FROM ${ctx.runId}_scale.events WHERE force = $1) AS events,
              (SELECT count(*)::int FROM ${ctx.runId}_scale.streams WHERE force = $1 AND stream_id LIKE 'case-%') AS cases`,
      [force],
    );
    return [counted[0]!.events, counted[0]!.cases];
  });
  const projector = await rebuildingProjector(ctx, force, schema, store);
  try {
    const byModel: Record<string, number> = {};
    const monitor = resourceMonitor();
    let investigationsVersion = 0;
    for (const model of FORCE_READ_MODELS) {
      const started = performance.now();
      const result = await projector.rebuild(model.name, { stopBeforeHandOver: true, signal: ctx.signal });
      byModel[model.name] = round((performance.now() - started) / 1000, 2);
      if (result.historyEvents !== forceEvents)
        throw new Error(`rebuild of ${model.name} read ${result.historyEvents} events of ${force}, expected ${forceEvents}`);
      if (model.name === 'investigations') investigationsVersion = result.version;
    }
    const use = monitor.stop();
    const [{ rows: made, letters }] = await projector.manager.query<[{ rows: number; letters: number }]>(
      `SELECT (SELECT count(*)::int FROM ${buildTables(schema, investigationsVersion).table('investigations')}) AS rows,
              (SELECT count(*)::int FROM ${schema}.dead_letters) AS letters`,
    );
    if (made !== forceStreams || letters !== 0)
      throw new Error(`rebuild made ${made} investigations (expected ${forceStreams}) and ${letters} dead letters (expected none)`);
    return {
      events: forceEvents,
      seconds: use.seconds,
      extra: { force, readModels: FORCE_READ_MODELS.length, secondsByReadModel: byModel, ...load(use, forceEvents) },
    };
  } finally {
    await projector.close();
    await dropSchema(ctx.databaseUrl, schema);
  }
}

/**
 * `export`: `nom research export --format jsonl` (pseudonymised) over the whole log as a child process under
 * /usr/bin/time, as the research-export bench runs it, then its raw limit (raw-jsonl.js). Cost per event inside the
 * child (its start-up excluded), with its peak RSS.
 */
export async function exportStage(ctx: BenchContext, schema: string, size: number, logEvents: number): Promise<StageFigures> {
  const out = await mkdtemp(join(tmpdir(), 'nom-bench-scale-'));
  const auditSchema = `${schema}_audit${size}`;
  const env = exportEnv(schema, auditSchema);
  try {
    const run = { schema, out, study: 'bench-scale', progressInterval: 100_000, expected: logEvents };
    const { exported, raw } = await exportAgainstRaw(ctx, env, run);
    return {
      events: exported.events,
      seconds: exported.seconds,
      extra: { rawUsPerEvent: round((raw.seconds * 1e6) / raw.events), peakRssMiB: exported.peakRssMiB, wallSeconds: exported.wallSeconds },
    };
  } finally {
    await rm(out, { recursive: true, force: true });
    await dropSchema(ctx.databaseUrl, auditSchema);
  }
}

/**
 * `append`: single-event appends of new streams by 16 writers through the validating store (as append-16), after a
 * warm-up of 500: what writing costs once the log (and its streams) is large. Returns how many it appended in all and
 * the highest position written.
 */
export async function appendStage(
  ctx: BenchContext,
  store: EventStore,
  count: number,
): Promise<StageFigures & { appended: number; last: bigint }> {
  const warm = rows(500);
  const measuredRows = rows(count);
  let last = 0n;
  const append = async (row: (typeof warm)[number]): Promise<void> => {
    const result = await store.append(row.streamId, [row.event], 'no-stream');
    if (result.position > last) last = result.position;
  };
  await runWorkers(warm.length, 16, (i) => append(warm[i]!), ctx.signal);
  const monitor = resourceMonitor();
  const run = await runWorkers(count, 16, (i) => append(measuredRows[i]!), ctx.signal);
  const use = monitor.stop();
  const latency = summarise([...run.latenciesMs]);
  return {
    events: count,
    seconds: run.seconds,
    appended: warm.length + count,
    last,
    extra: { writers: 16, warmUp: warm.length, p50Ms: round(latency.p50), p99Ms: round(latency.p99), ...load(use, count) },
  };
}
