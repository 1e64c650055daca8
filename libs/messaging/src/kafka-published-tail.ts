import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { idle, isTransientError } from '#event-store';

/** The CloudEvents extension carrying an event's global position (libs/contracts cloudevents.ts). */
export const POSITION_HEADER = 'ce_nomposition';

/** Per partition of a topic: the partition count, and the highest global position already on each partition. */
export interface PublishedTail {
  readonly partitions: number;
  readonly highest: ReadonlyMap<number, bigint>;
}

function positionOf(headers: Record<string, unknown> | undefined): bigint | undefined {
  const raw = headers?.[POSITION_HEADER];
  const text = Buffer.isBuffer(raw) ? raw.toString() : typeof raw === 'string' ? raw : undefined;
  return text !== undefined && /^\d+$/.test(text) ? BigInt(text) : undefined;
}

/**
 * Retries a request the broker refuses for a moment (a topic just created whose leaders are still being elected:
 * "not the leader for that topic-partition") for up to `ms`; anything else, or longer, is the caller's to handle.
 */
async function settled<T>(request: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (!isTransientError(error) || Date.now() > deadline) throw error;
      await idle(100, undefined);
    }
  }
}

/**
 * Reads the last record of every non-empty partition of `topics` (ADR 0021): what the relay had published when its
 * producer was lost. One short-lived consumer in a group of its own (`<groupPrefix><uuid>`, never committed), seeking
 * each partition to its last offset. Only the relay's own topics, as its principal (READ granted for this alone).
 */
export async function readPublishedTails(
  kafka: Kafka,
  admin: Admin,
  topics: readonly string[],
  groupPrefix: string,
  timeoutMs = 60_000,
): Promise<Map<string, PublishedTail>> {
  const tails = new Map<string, PublishedTail>();
  const wanted = new Map<string, bigint>(); // `${topic}:${partition}` -> offset of its last record
  const { topics: metadata } = await settled(() => admin.fetchTopicMetadata({ topics: [...topics] }));
  for (const topic of topics) {
    const partitions = metadata.find((t) => t.name === topic)?.partitions.length ?? 0;
    tails.set(topic, { partitions, highest: new Map() });
    for (const o of await settled(() => admin.fetchTopicOffsets(topic))) {
      if (BigInt(o.high) > BigInt(o.low)) wanted.set(`${topic}:${o.partition}`, BigInt(o.high) - 1n);
    }
  }
  if (wanted.size === 0) return tails;
  const consumer = kafka.consumer({
    groupId: `${groupPrefix}${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    retry: { retries: 2 },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...wanted.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))], fromBeginning: false });
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`could not read the last records of ${topics.join(', ')} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer
        .run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            const key = `${batch.topic}:${batch.partition}`;
            const last = wanted.get(key);
            const record = batch.messages.find((m) => BigInt(m.offset) === last);
            if (last !== undefined && record) {
              const position = positionOf(record.headers);
              if (position !== undefined) (tails.get(batch.topic)!.highest as Map<number, bigint>).set(batch.partition, position);
              wanted.delete(key);
              if (wanted.size === 0) resolve();
            }
            return Promise.resolve();
          },
        })
        .then(() => {
          for (const key of wanted.keys()) {
            const at = key.lastIndexOf(':');
            consumer.seek({ topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: wanted.get(key)!.toString() });
          }
        }, reject);
    });
    await done;
    return tails;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
