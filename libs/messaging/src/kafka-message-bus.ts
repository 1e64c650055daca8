import { Kafka, logLevel, Partitioners, type Consumer, type logCreator, type Producer, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaRecord } from '#contracts';
import { superviseLoop, type Backoff } from '#event-store';
import { POSITION_HEADER, readPublishedTails } from './kafka-published-tail.js';
import type { ConsumedRecord, ConsumeOptions, MessageBus, RunningConsumer, TopicOffsets } from './message-bus.port.js';
import { topicOffsets } from './topic-offsets.js';
import { KafkaAdminSession } from './kafka-admin.js';
import { keyPartition } from './kafka-partition.js';

export interface KafkaMessageBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** The process's own principal (ADR 0010); see `kafkaSasl`. */
  readonly sasl?: SASLOptions;
  /** TLS: true (system CA store) or the TLS options (a CA file's certificates; see `kafkaTls`). */
  readonly ssl?: boolean | ConnectionOptions;
  /** Partitions a consumer processes at once (each its own batch transaction). */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Consumer groups (prefix) in which a new producer reads the last record of each partition it writes, so that
   * it never publishes an event twice (ADR 0021); the relay's principal may read its topics in these groups only.
   * Default `<clientId>.relay.tail.`.
   */
  readonly tailGroupPrefix?: string;
  /** Backoff of a consumer that kafkajs gave up restarting (default: superviseLoop's). */
  readonly retry?: Backoff;
  /** Where kafkajs logs (the process's logger); its own JSON on the console by default. */
  readonly logCreator?: logCreator;
  /** Told of every batch a consumer handled (the process logs one structured line per batch). */
  readonly onBatch?: (batch: ConsumedBatch) => void;
}

/** What one consumer batch held: for its log line (correlation, trace, force and officer of its events). */
export interface ConsumedBatch {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: string;
  readonly lastOffset: string;
  readonly records: number;
  /** Distinct values of the records' CloudEvents headers, in order of first appearance. */
  readonly correlationIds: readonly string[];
  readonly traceIds: readonly string[];
  readonly forces: readonly string[];
  readonly officers: readonly string[];
}

function distinctHeader(
  records: readonly { readonly headers: Record<string, Buffer | string | undefined> }[],
  name: string,
  pick = (v: string): string | undefined => v,
): string[] {
  const seen = new Set<string>();
  for (const record of records) {
    const raw = record.headers[name];
    const value = raw === undefined ? undefined : pick(raw.toString());
    if (value !== undefined) seen.add(value);
  }
  return [...seen];
}

const traceIdOfParent = (traceparent: string): string | undefined => /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(traceparent)?.[1];

/** The summary of a non-empty batch of one partition, in offset order. */
function consumedBatch(groupId: string, records: readonly ConsumedRecord[]): ConsumedBatch {
  return {
    groupId,
    topic: records[0]!.topic,
    partition: records[0]!.partition,
    firstOffset: records[0]!.offset,
    lastOffset: records[records.length - 1]!.offset,
    records: records.length,
    correlationIds: distinctHeader(records, 'ce_nomcorrelationid'),
    traceIds: distinctHeader(records, 'ce_traceparent', traceIdOfParent),
    forces: distinctHeader(records, 'ce_nomforce'),
    officers: distinctHeader(records, 'ce_nomactor'),
  };
}

/** The global position a record carries (`ce_nomposition`), if it is one of the log's events. */
function positionOf(record: { readonly headers: Record<string, string> }): bigint | undefined {
  const raw = record.headers[POSITION_HEADER];
  return raw !== undefined && /^\d+$/.test(raw) ? BigInt(raw) : undefined;
}

/** kafkajs adapter of the message bus port. */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private readonly consumers = new Set<Consumer>();
  /** What the topics held when this producer was created, learnt on its first publish to each; cleared on failure. */
  private readonly tails = new Map<string, { partitions: number; highest: Map<number, bigint> }>();
  private readonly running = new Map<AbortController, Promise<void>>();
  private readonly admins: KafkaAdminSession;

  constructor(private readonly options: KafkaMessageBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      ...(options.logCreator ? { logCreator: options.logCreator } : {}),
      ...(options.sasl ? { sasl: options.sasl } : {}),
      ...(options.ssl ? { ssl: options.ssl } : {}),
    });
    this.admins = new KafkaAdminSession(this.kafka, options);
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.tails.clear();
    await producer?.disconnect().catch(() => undefined);
  }

  /** Resolves once the broker answers a metadata request (readiness, ADR 0037). */
  ping = (): Promise<void> => this.admins.ping();

  offsets = /* ADR 0032 */ (topic: string, groupPrefix: string): Promise<TopicOffsets> =>
    topicOffsets(
      () => this.admins.connected(),
      () => this.admins.drop(),
      topic,
      groupPrefix,
    );

  ensureTopics(topics: readonly string[]): Promise<void> {
    return this.admins.ensureTopics(topics);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      // Idempotent producer: the broker drops duplicates from producer retries, and with one request in
      // flight the order of a partition is the order of send.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2 on the key: a stream lands on the same partition whichever client produced it.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  /**
   * Publishes, effectively once (ADR 0021): a producer that is new (process start, or after a failure) first
   * learns the highest global position on each partition of a topic it writes, and leaves out records at or below
   * it, which an earlier producer had published before it was lost (its send failed, or the process died, after
   * the broker wrote). Each record goes to the partition the default (murmur2) partitioner gives its key.
   */
  async publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void> {
    try {
      const producer = await this.connectedProducer();
      await this.learnTails(batch.map((b) => b.topic).filter((t) => !this.tails.has(t)));
      const topicMessages = batch.map(({ topic, records }) => {
        const tail = this.tails.get(topic)!;
        const { partitions, highest } = tail;
        const messages: { key: string; value: Buffer; headers: Record<string, string>; partition: number }[] = [];
        // The global position of each message sent (undefined: not one of the log's events), to learn the tail after.
        const positions: (bigint | undefined)[] = [];
        for (const r of records) {
          // The default partitioner's partition (murmur2 of the key), computed here to know each partition's tail.
          const partition = keyPartition(r.key, partitions);
          // A record without a position is not one of the log's events (nothing to compare): it always goes.
          const position = positionOf(r);
          if (position !== undefined) {
            const published = highest.get(partition);
            if (published !== undefined && position <= published) continue;
          }
          messages.push({ key: r.key, value: r.value, headers: r.headers, partition });
          positions.push(position);
        }
        return { topic, messages, positions, highest };
      });
      const sent = topicMessages.filter((t) => t.messages.length > 0);
      if (sent.length > 0) await producer.sendBatch({ acks: -1, topicMessages: sent.map(({ topic, messages }) => ({ topic, messages })) });
      for (const { messages, positions, highest } of sent) {
        for (let i = 0; i < messages.length; i++) {
          const position = positions[i];
          const partition = messages[i]!.partition;
          if (position !== undefined && position > (highest.get(partition) ?? -1n)) highest.set(partition, position);
        }
      }
    } catch (error) {
      // Whatever the broker wrote of this batch is unknown now: a new producer, which learns it first.
      await this.dropProducer();
      await this.admins.drop();
      throw error;
    }
  }

  private async learnTails(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    const admin = await this.admins.connected();
    const learnt = await readPublishedTails(
      this.kafka,
      admin,
      topics,
      this.options.tailGroupPrefix ?? `${this.options.clientId}.relay.tail.`,
    );
    for (const [topic, tail] of learnt) {
      if (tail.partitions === 0) throw new Error(`topic ${topic} has no partitions (not created yet?)`);
      this.tails.set(topic, { partitions: tail.partitions, highest: new Map(tail.highest) });
    }
  }

  /**
   * A consumer that never gives up (ADR 0021): kafkajs restarts it after a crash it deems retriable (readiness
   * shows it not ready meanwhile); a crash it will not restart (non-retriable) ends this consumer and a new one
   * joins the group after a backoff. Resolves once the first consumer runs; rejects if that first start fails.
   */
  async consume(options: ConsumeOptions): Promise<RunningConsumer> {
    const controller = new AbortController();
    let first: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    const firstStart = new Promise<void>((resolve, reject) => (first = { resolve, reject }));
    const running = superviseLoop(
      options.name ?? `consumer:${options.groupId}`,
      async (loop) => {
        const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
        this.consumers.add(consumer);
        try {
          const gaveUp = new Promise<never>((_, reject) => {
            consumer.on(consumer.events.CRASH, ({ payload }) => (payload.restart ? loop.unhealthy(payload.error) : reject(payload.error)));
          });
          gaveUp.catch(() => undefined); // observed by the race below; a crash after an abort is of no interest
          consumer.on(consumer.events.GROUP_JOIN, () => loop.healthy());
          await consumer.connect();
          await consumer.subscribe({ topic: options.topic, fromBeginning: true });
          await this.runConsumer(consumer, options, loop.healthy);
          first?.resolve();
          first = undefined;
          await Promise.race([
            gaveUp,
            new Promise<void>((resolve) => loop.signal.addEventListener('abort', () => resolve(), { once: true })),
          ]);
        } catch (error) {
          if (first) {
            first.reject(error);
            first = undefined;
            controller.abort();
          }
          throw error;
        } finally {
          this.consumers.delete(consumer);
          await consumer.disconnect().catch(() => undefined);
        }
      },
      {
        signal: controller.signal,
        ...(this.options.retry ? { backoff: this.options.retry } : {}),
        ...(options.onState ? { onState: options.onState } : {}),
      },
    );
    this.running.set(controller, running);
    try {
      await firstStart;
    } catch (error) {
      this.running.delete(controller);
      await running;
      throw error;
    }
    return {
      stop: async () => {
        this.running.delete(controller);
        controller.abort();
        await running;
      },
    };
  }

  private async runConsumer(consumer: Consumer, options: ConsumeOptions, healthy: () => void): Promise<void> {
    await consumer.run({
      autoCommit: true,
      // kafkajs 2.x commits the offsets after every eachBatch call whatever this interval says (the interval only
      // governs commitOffsetsIfNecessary): one OffsetCommit round trip a batch, inside the fetch cycle, since kafkajs
      // fetches again only once every batch of a fetch is handled. Measured at 200 commands/s (2026-12-06), committing
      // at most once a second instead cut the command-to-projection p50 from 32-34 to 17-21 ms, but the p99 did not
      // clearly follow (67-101 ms in six runs as it is; 86-92 without commits, 57-93 in three with a 5 ms fetch wait
      // to batch): shorter cycles meant more, smaller projector transactions (20% -> 27-33% of a core) on a machine
      // CPU-bound at that rate. Kept as it is for now (a commit a second needs an idle flush, or the last batch's
      // offsets stay uncommitted and the group's lag shows it); a crash redelivers at most the last batch, which the
      // consumers' dedup on (stream, revision) absorbs.
      autoCommitInterval: 1000,
      // Batches of different partitions in parallel (order within a partition is kept): one slow
      // transaction does not hold up the force's other partitions.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        const records = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: (message.headers ?? {}) as Record<string, Buffer | string | undefined>,
        }));
        await options.handleBatch(records);
        healthy();
        this.options.onBatch?.(consumedBatch(options.groupId, records));
        await payload.heartbeat();
      },
    });
  }

  async close(): Promise<void> {
    for (const controller of this.running.keys()) controller.abort();
    await Promise.all(this.running.values());
    this.running.clear();
    await Promise.all([...this.consumers].map((c) => c.disconnect().catch(() => undefined)));
    this.consumers.clear();
    await this.dropProducer();
    await this.admins.drop();
  }
}
