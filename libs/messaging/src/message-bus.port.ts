import type { KafkaRecord } from '#contracts';
import type { LoopState } from '#event-store';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | string | undefined>;
}

export interface ConsumeOptions {
  readonly topic: string;
  readonly groupId: string;
  /**
   * Handles a batch of records of one partition, in offset order. Offsets are committed only after it
   * resolves; a rejection means "could not process now" and the batch is delivered again.
   */
  readonly handleBatch: (records: readonly ConsumedRecord[]) => Promise<void>;
  /** The consumer's name in readiness (default `consumer:<groupId>`). */
  readonly name?: string;
  /** The consumer's state (readiness, ADR 0021): not ready from a crash until it has joined its group again. */
  readonly onState?: (state: LoopState) => void;
}

/** Where a topic ends and how far each consumer group of a name prefix has committed on it (subscription status). */
export interface TopicOffsets {
  /** Next offset to be written, per partition (the end a consumer that has read everything has committed). */
  readonly endOffsets: readonly { readonly partition: number; readonly offset: string }[];
  readonly groups: readonly {
    readonly groupId: string;
    readonly committed: readonly { readonly partition: number; readonly offset: string | null }[];
  }[];
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/**
 * The small messaging port (kept small so that kafkajs, unmaintained since 2023, can be swapped for a
 * maintained client with the same shape). Delivery is at least once; consumers dedupe.
 */
export interface MessageBus {
  /** Creates the topics that do not exist yet and waits for their leaders. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  /** Publishes records to their topics; resolves once the broker has them (acks from all in-sync replicas). */
  publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<RunningConsumer>;
  /**
   * The topic's end offsets and the committed offsets on it of every consumer group whose id starts with
   * `groupPrefix` (ADR 0032); undefined for a bus without a broker (the quick start's in-process bus).
   */
  offsets?(topic: string, groupPrefix: string): Promise<TopicOffsets | undefined>;
  /** Resolves once the broker answers a metadata request (readiness, ADR 0037); absent for a bus without a broker. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
