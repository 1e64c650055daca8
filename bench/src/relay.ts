import { PerformanceObserver } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { assertValidEvents, forceTopic, toKafkaRecord, type ForceCode, type KafkaRecord } from '#contracts';
import { PostgresEventStore, withValidation, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import { KafkaMessageBus, Relay, type MessageBus } from '#messaging';
import {
  assertNotAborted,
  checkpoint,
  createTopics,
  deleteTopics,
  dropSchema,
  emit,
  kafkaAuth,
  log,
  now,
  round,
  topicPrefix,
  waitForXminHorizon,
  withClient,
  type BenchContext,
} from './common.js';
import { seedLog } from './seed.js';

const BATCH = 500;
const PARTITIONS = 6; // KafkaMessageBus's default, as the apps run it (KAFKA_PARTITIONS)
/** Issue 14, item 4: the relay at 0.8 of a raw kafkajs producer sending the same records with the same guarantees. */
const TARGET_RATIO = 0.8;
const CHUNK = 25; // batches per alternating round
const FORCES: readonly ForceCode[] = ['avon-somerset', 'kent', 'essex', 'metropolitan'];

type TopicMessages = { topic: string; messages: { key: string; value: Buffer; headers: Record<string, string> }[] }[];

/** Time spent inside the given async methods of `target`, in ms (a thin proxy; no behaviour change). */
function timed<T extends object>(target: T, methods: readonly string[], spent: Record<string, number>): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      const value: unknown = Reflect.get(t, property, receiver);
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => unknown).bind(t);
      if (typeof property !== 'string' || !methods.includes(property)) return fn;
      return async (...args: unknown[]) => {
        const start = now();
        try {
          return await fn(...args);
        } finally {
          spent[property] = (spent[property] ?? 0) + (now() - start);
        }
      };
    },
  });
}

/** Records on `topics` (high minus low watermark, every partition). */
export async function topicRecordCount(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}

/**
 * `relay`: the Relay publishing a pre-seeded log (several forces) to Kafka through KafkaMessageBus, `relayBatches()`
 * in rounds until it returns 0, against the raw limit: a plain idempotent kafkajs producer `sendBatch`ing the same records
 * (toKafkaRecord) in batches of the same size, acks -1. Both put each record on the partition murmur2 of its key gives
 * (Java-compatible): kafkajs's default partitioner computes it for the raw producer, the relay's bus computes it itself
 * (it needs it for ADR 0021) and hands it to kafkajs.
 */
export async function relayBench(ctx: BenchContext, count: number): Promise<void> {
  const schema = `${ctx.runId}_relay`;
  const prefix = topicPrefix(ctx.runId, 'relay');
  const rawPrefix = topicPrefix(ctx.runId, 'relayraw');
  const topics = FORCES.map((f) => forceTopic(f, prefix));
  const rawTopics = FORCES.map((f) => forceTopic(f, rawPrefix));
  const warmTopic = `${rawPrefix}.warmup`;
  log(`relay: ${count} events over ${FORCES.length} forces, schema ${schema}, topics ${prefix}.*`);

  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 16 });
  const bus = new KafkaMessageBus({ brokers: ctx.kafkaBrokers, clientId: 'nom-bench-relay', partitions: PARTITIONS, ...kafkaAuth() });
  const kafka = new Kafka({ clientId: 'nom-bench-raw', brokers: [...ctx.kafkaBrokers], logLevel: logLevel.WARN, ...kafkaAuth() });
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  try {
    const store = withValidation(raw, assertValidEvents);
    const last = await seedLog(store, count, ctx.signal, { perAppend: 100, concurrency: 4, forces: FORCES });
    await waitForXminHorizon(ctx.databaseUrl, last, ctx.signal);
    await withClient(ctx.databaseUrl, (c) => c.query(`VACUUM (ANALYZE) ${schema}.events`));

    admin = kafka.admin();
    await admin.connect();

    // The raw side's records: the same events in the same order, toKafkaRecord, grouped per topic in batches
    // of the same size as the relay's. Built just before each raw round and outside its timing, so that the raw
    // side neither holds the whole log in memory (which would slow the relay's garbage collections) nor pays
    // for reading it.
    const source = store.readAll({ batchSize: 1000 })[Symbol.asyncIterator]();
    let sourceDone = false;
    const nextRawBatches = async (n: number): Promise<TopicMessages[]> => {
      const out: TopicMessages[] = [];
      while (out.length < n && !sourceDone) {
        const byTopic = new Map<string, KafkaRecord[]>();
        let size = 0;
        while (size < BATCH) {
          const next = await source.next();
          if (next.done) {
            sourceDone = true;
            break;
          }
          const topic = forceTopic(next.value.metadata.force, rawPrefix);
          let records = byTopic.get(topic);
          if (!records) byTopic.set(topic, (records = []));
          records.push(toKafkaRecord(next.value));
          size += 1;
        }
        if (size > 0)
          out.push(
            [...byTopic].map(([topic, records]) => ({
              topic,
              messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
            })),
          );
      }
      return out;
    };

    // Created up front, so the bus's own ensureTopics finds them (see createTopics on why not waitForLeaders).
    await createTopics(ctx.kafkaBrokers, [...topics, ...rawTopics, warmTopic], PARTITIONS);
    await bus.ensureTopics([...topics, warmTopic]);
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const rawProducer = producer;

    // Warm-up (not measured): the broker's JIT and page cache and both producers, on a throw-away topic.
    const warmBatches: TopicMessages[] = [];
    for await (const event of store.readAll({ batchSize: 1000, maxCount: 20 * BATCH })) {
      let last = warmBatches[warmBatches.length - 1]?.[0];
      if (!last || last.messages.length >= BATCH) warmBatches.push([(last = { topic: warmTopic, messages: [] })]);
      const r = toKafkaRecord(event);
      last.messages.push({ key: r.key, value: r.value, headers: r.headers });
    }
    for (const b of warmBatches) await rawProducer.sendBatch({ acks: -1, topicMessages: b });
    for (const b of warmBatches) await bus.publish(b.map(({ topic, messages }) => ({ topic, records: messages })));

    const spent: Record<string, number> = {};
    const relay = new Relay(
      timed<EventStore & CheckpointStore & DeadLetterStore>(store, ['saveCheckpoint'], spent),
      timed<MessageBus>(bus, ['publish', 'ensureTopics'], spent),
      { name: 'bench-relay', batchSize: BATCH, topicPrefix: prefix, forces: FORCES, onBatch: () => void (batches += 1) },
    );
    await checkpoint(ctx.databaseUrl);

    // Garbage-collection pauses, attributed to the side that was running.
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gc.observe({ entryTypes: ['gc'] });

    // Alternating rounds of CHUNK batches (relay, raw, raw, relay, ...), so drift in the machine's load or the
    // broker's state falls on both sides alike.
    let relaySeconds = 0;
    let rawSeconds = 0;
    let relayGcMs = 0;
    let rawGcMs = 0;
    let batches = 0;
    let rawBatches = 0;
    let relayDone = false;
    const relayChunk = async (): Promise<void> => {
      const g = gcMs;
      const t = now();
      // As the relay runs: each next batch read while the one before is published (relayBatches).
      if (!relayDone && (await relay.relayBatches(CHUNK)) === 0) relayDone = true;
      relaySeconds += (now() - t) / 1000;
      relayGcMs += gcMs - g;
    };
    const rawChunk = async (): Promise<void> => {
      const todo = await nextRawBatches(CHUNK);
      const g = gcMs;
      const t = now();
      for (const topicMessages of todo) await rawProducer.sendBatch({ acks: -1, topicMessages });
      rawSeconds += (now() - t) / 1000;
      rawGcMs += gcMs - g;
      rawBatches += todo.length;
    };
    try {
      for (let round_ = 0; !relayDone || !sourceDone; round_++) {
        assertNotAborted(ctx.signal);
        if (round_ % 2 === 0) {
          await relayChunk();
          await rawChunk();
        } else {
          await rawChunk();
          await relayChunk();
        }
      }
    } finally {
      gc.disconnect();
    }
    if (relay.published !== count) throw new Error(`relay published ${relay.published}, expected ${count}`);
    log(`relay: ${Math.round(count / relaySeconds)} events/s in ${batches} batches, raw ${Math.round(count / rawSeconds)} events/s`);

    const [relayed, sent] = [await topicRecordCount(admin, topics), await topicRecordCount(admin, rawTopics)];
    if (relayed !== count || sent !== count) throw new Error(`topics hold ${relayed} (relay) and ${sent} (raw) records, expected ${count}`);

    const rate = count / relaySeconds;
    const rawRate = count / rawSeconds;
    const ratio = rate / rawRate;
    const totalMs = relaySeconds * 1000;
    const publishMs = spent['publish'] ?? 0;
    const checkpointMs = spent['saveCheckpoint'] ?? 0;
    const ensureMs = spent['ensureTopics'] ?? 0;
    emit({
      bench: 'relay',
      events: count,
      forces: FORCES.length,
      partitions: PARTITIONS,
      batchSize: BATCH,
      batches,
      eventsPerSec: Math.round(rate),
      rawLimit: Math.round(rawRate),
      ratio: round(ratio, 3),
      // Where the relay's time goes (ms, whole run). The next batch is read and encoded, and the checkpoint written,
      // while a batch is published: saveCheckpoint is the writes' own time, mostly behind the publishes; outsidePublish
      // is the relay's time outside publish and ensureTopics (what of the reading, encoding and checkpoint writes was
      // not hidden: the first read and the last checkpoint write of each round, a read slower than a publish).
      breakdownMs: {
        publish: Math.round(publishMs),
        ensureTopics: Math.round(ensureMs),
        saveCheckpoint: Math.round(checkpointMs),
        outsidePublish: Math.round(totalMs - publishMs - ensureMs),
      },
      rawPublishMs: Math.round(rawSeconds * 1000),
      rawBatches,
      // GC pauses inside each side's timed rounds (ms).
      gcMs: { relay: Math.round(relayGcMs), raw: Math.round(rawGcMs) },
      target: TARGET_RATIO,
      targetMetric: 'ratio >= target',
      meetsTarget: ratio >= TARGET_RATIO,
    });
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await bus.close().catch(() => undefined);
    await raw.close();
    await dropSchema(ctx.databaseUrl, schema);
    await deleteTopics(ctx.kafkaBrokers, `${prefix}.`);
    await deleteTopics(ctx.kafkaBrokers, `${rawPrefix}.`);
  }
}
