import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

export interface ReadTopicOptions {
  readonly brokers: readonly string[];
  readonly sasl?: SASLOptions;
  readonly ssl?: boolean | ConnectionOptions;
  readonly clientId?: string;
  /** A consumer group the principal may use (a force's: `force-<force>.<anything>`); no offset is committed. */
  readonly groupId: string;
  /** Give up when the end has not been reached by then. */
  readonly timeoutMs?: number;
}

export interface TopicMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
}

/**
 * Every message of a small topic, from the beginning to the end it had when the read started (e.g. the sealer's
 * signed checkpoints, ADR 0023). Needs READ and DESCRIBE on the topic and READ on the group; commits nothing.
 */
export async function readTopicToEnd(topic: string, options: ReadTopicOptions): Promise<TopicMessage[]> {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'nom-read-topic',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    ...(options.sasl ? { sasl: options.sasl } : {}),
    ...(options.ssl ? { ssl: options.ssl } : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const messages: TopicMessage[] = [];
  if (ends.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 30_000;
      const timer = setTimeout(() => reject(new Error(`${topic}: not read to its end within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const end = ends.get(partition);
            if (end !== undefined && BigInt(message.offset) < end) {
              const key = message.key?.toString('utf8') ?? null;
              messages.push({ partition, offset: message.offset, key, value: message.value?.toString('utf8') ?? null });
              if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
            }
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}
