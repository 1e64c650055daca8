import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { assertValidEvents, forceTopic, toKafkaRecord, type ForceCode, type KafkaRecord } from '#contracts';
import { PostgresEventStore, withValidation, type CheckpointStore, type EventStore } from '#event-store';
import { KafkaMessageBus, Relay, type MessageBus } from '#messaging';
import { assertNotAborted, checkpoint, deleteTopics, dropSchema, emit, log, now, round, topicPrefix, waitForXminHorizon, withClient, type BenchContext } from './common.js';
import { seedLog } from './seed.js';

const BATCH = 500;
const PARTITIONS = 6; // KafkaMessageBus's default, as the apps run it (KAFKA_PARTITIONS)
const TARGET_RATIO = 0.7;
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

async function topicRecordCount(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}

/**
 * `relay`: the Relay publishing a pre-seeded log (several forces) to Kafka through KafkaMessageBus, `relayOnce()`
 * until it returns 0, against the raw limit: a plain idempotent kafkajs producer `sendBatch`ing the same records
 * (toKafkaRecord) in batches of the same size, acks -1.
 */
export async function relayBench(ctx: BenchContext, count: number): Promise<void> {
  const schema = `${ctx.runId}_relay`;
  const prefix = topicPrefix(ctx.runId, 'relay');
  const rawPrefix = topicPrefix(ctx.runId, 'relayraw');
  const topics = FORCES.map((f) => forceTopic(f, prefix));
  const rawTopics = FORCES.map((f) => forceTopic(f, rawPrefix));
  log(`relay: ${count} events over ${FORCES.length} forces, schema ${schema}, topics ${prefix}.*`);

  const raw = await PostgresEventStore.open({ connectionString: ctx.databaseUrl, schema, poolSize: 16 });
  const bus = new KafkaMessageBus({ brokers: ctx.kafkaBrokers, clientId: 'nom-bench-relay', partitions: PARTITIONS });
  const kafka = new Kafka({ clientId: 'nom-bench-raw', brokers: [...ctx.kafkaBrokers], logLevel: logLevel.WARN });
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  try {
    const store = withValidation(raw, assertValidEvents);
    const last = await seedLog(store, count, ctx.signal, { perAppend: 100, concurrency: 4, forces: FORCES });
    await waitForXminHorizon(ctx.databaseUrl, last, ctx.signal);
    await withClient(ctx.databaseUrl, (c) => c.query(`VACUUM (ANALYZE) ${schema}.events`));

    admin = kafka.admin();
    await admin.connect();

    // --- the relay ---------------------------------------------------------------------------------------------
    await bus.ensureTopics(topics);
    await bus.publish([]); // connects the producer (outside the measurement, as a running relay would be)
    const spent: Record<string, number> = {};
    const relay = new Relay(
      timed<EventStore & CheckpointStore>(store, ['saveCheckpoint'], spent),
      timed<MessageBus>(bus, ['publish', 'ensureTopics'], spent),
      { name: 'bench-relay', batchSize: BATCH, topicPrefix: prefix, forces: FORCES },
    );
    await checkpoint(ctx.databaseUrl);
    let batches = 0;
    const t0 = now();
    while ((await relay.relayOnce()) > 0) {
      batches += 1;
      assertNotAborted(ctx.signal);
    }
    const relaySeconds = (now() - t0) / 1000;
    if (relay.published !== count) throw new Error(`relay published ${relay.published}, expected ${count}`);
    log(`relay: ${Math.round(count / relaySeconds)} events/s in ${batches} batches`);

    // --- the raw limit ---------------------------------------------------------------------------------------
    const batchesOfRecords: TopicMessages[] = [];
    let chunk = new Map<string, KafkaRecord[]>();
    let inChunk = 0;
    const flush = (): void => {
      batchesOfRecords.push([...chunk].map(([topic, records]) => ({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) })));
      chunk = new Map();
      inChunk = 0;
    };
    for await (const event of store.readAll({ batchSize: 1000 })) {
      const topic = forceTopic(event.metadata.force, rawPrefix);
      let records = chunk.get(topic);
      if (!records) chunk.set(topic, (records = []));
      records.push(toKafkaRecord(event));
      if (++inChunk === BATCH) flush();
    }
    if (inChunk > 0) flush();
    await admin.createTopics({ waitForLeaders: true, topics: rawTopics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })) });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await checkpoint(ctx.databaseUrl);
    const t1 = now();
    for (const topicMessages of batchesOfRecords) {
      await producer.sendBatch({ acks: -1, topicMessages });
    }
    const rawSeconds = (now() - t1) / 1000;

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
      // Where the relay's time goes (ms, whole run): the rest is readAll + toKafkaRecord + grouping.
      breakdownMs: {
        publish: Math.round(publishMs),
        saveCheckpoint: Math.round(checkpointMs),
        ensureTopics: Math.round(ensureMs),
        readAndEncode: Math.round(totalMs - publishMs - checkpointMs - ensureMs),
      },
      rawPublishMs: Math.round(rawSeconds * 1000),
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
