import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer, type SASLOptions } from 'kafkajs';
import type { KafkaRecord } from '#contracts';
import type { ConsumeOptions, MessageBus, RunningConsumer } from './message-bus.port.js';
import { eventTopicConfigEntries } from './topic-policy.js';

export interface KafkaMessageBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** The process's own principal (ADR 0010); see `kafkaSasl`. */
  readonly sasl?: SASLOptions;
  readonly ssl?: boolean;
  /** Partitions a consumer processes at once (each its own batch transaction). */
  readonly partitionsConsumedConcurrently?: number;
}

/** A principal's SASL credentials, as the configuration holds them (KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD). */
export interface KafkaSaslCredentials {
  readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  readonly username: string;
  readonly password: string;
}

/** The credentials as kafkajs takes them. */
export function kafkaSasl(credentials: KafkaSaslCredentials): SASLOptions {
  return { mechanism: credentials.mechanism, username: credentials.username, password: credentials.password };
}

/** kafkajs adapter of the message bus port. */
export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private admin?: Admin;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: KafkaMessageBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      ...(options.sasl ? { sasl: options.sasl } : {}),
      ...(options.ssl ? { ssl: true } : {}),
    });
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      // Not `waitForLeaders`: on Kafka 4 its metadata check can fail at once with "does not host this
      // topic-partition", which kafkajs does not retry. Create, then wait for every partition's leader below.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 6,
          replicationFactor: this.options.replicationFactor ?? 1,
          // Kept for ever, never compacted (ADR 0017); needs no right beyond CREATE.
          configEntries: eventTopicConfigEntries(),
        })),
      });
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
        if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics have no leaders after 30 s: ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
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

  async publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.sendBatch({
      acks: -1,
      topicMessages: batch.map(({ topic, records }) => ({
        topic,
        messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      })),
    });
  }

  async consume(options: ConsumeOptions): Promise<RunningConsumer> {
    const consumer = this.kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      // Offsets are committed every second rather than after every batch: a crash redelivers at most that
      // much, which the consumers' dedup on (stream, revision) absorbs, and each batch saves a round trip.
      autoCommitInterval: 1000,
      // Batches of different partitions in parallel (order within a partition is kept): one slow
      // transaction does not hold up the force's other partitions.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        await options.handleBatch(
          batch.messages.map((message) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: (message.headers ?? {}) as Record<string, Buffer | string | undefined>,
          })),
        );
        await payload.heartbeat();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
  }
}
