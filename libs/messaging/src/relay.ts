import { forceTopic, nationalTopic, topicOf, toKafkaRecord, type KafkaRecord, type RecordedEvent } from '#contracts';
import { idle, type CheckpointStore, type EventStore } from '#event-store';
import type { MessageBus } from './message-bus.port.js';

export interface RelayOptions {
  /** Checkpoint name; one per relay deployment. */
  readonly name?: string;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  readonly topicPrefix?: string;
  /** Force topics created up front (one per force), with the national topic; others are created on first use. */
  readonly forces?: readonly string[];
  readonly onBatch?: (count: number, lastPosition: bigint) => void;
}

/**
 * Publishes committed events from the store to Kafka in global order (DESIGN.md: publish from the store,
 * never from the handler). The checkpoint is saved only after the broker acknowledged the batch, so a relay
 * killed at any moment re-sends from its last checkpoint: nothing is missed. The Kafka bus leaves out what a lost
 * producer had published already (ADR 0021), so the topics hold each event once; consumers still dedupe on
 * (stream id, revision).
 */
export class Relay {
  private readonly name: string;
  private readonly knownTopics = new Set<string>();
  published = 0;
  position = 0n;

  constructor(
    private readonly store: EventStore & CheckpointStore,
    private readonly bus: MessageBus,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'relay';
  }

  private topicOf(event: RecordedEvent): string {
    // metadata.force `national` (a national stream) goes to the national topic, any other to that force's topic.
    return topicOf(event.metadata.force, this.options.topicPrefix);
  }

  private async ensure(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (missing.length === 0) return;
    await this.bus.ensureTopics(missing);
    for (const t of missing) this.knownTopics.add(t);
  }

  /** Relays one batch; returns how many events it published (0: caught up). */
  async relayOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    const byTopic = new Map<string, KafkaRecord[]>();
    let last: RecordedEvent | undefined;
    for await (const event of this.store.readAll({ fromPosition: this.position, batchSize, maxCount: batchSize })) {
      const topic = this.topicOf(event);
      let records = byTopic.get(topic);
      if (!records) byTopic.set(topic, (records = []));
      records.push(toKafkaRecord(event));
      last = event;
    }
    if (!last) return 0;
    await this.ensure([...byTopic.keys()]);
    await this.bus.publish([...byTopic].map(([topic, records]) => ({ topic, records })));
    await this.store.saveCheckpoint(this.name, last.position);
    const count = [...byTopic.values()].reduce((n, r) => n + r.length, 0);
    this.position = last.position;
    this.published += count;
    this.options.onBatch?.(count, last.position);
    return count;
  }

  /**
   * Runs until the signal aborts, from its checkpoint (read again on every start); `healthy` after each round
   * that worked. Errors (broker or database away) propagate to its supervisor, which starts it again (ADR 0021).
   */
  async run(signal: AbortSignal, healthy: () => void = () => undefined): Promise<void> {
    this.position = await this.store.loadCheckpoint(this.name);
    const { forces = [], topicPrefix } = this.options;
    await this.ensure([...forces.map((f) => forceTopic(f, topicPrefix)), nationalTopic(topicPrefix)]);
    while (!signal.aborted) {
      const count = await this.relayOnce();
      healthy();
      if (count === 0) await idle(this.options.idlePollMs ?? 20, signal);
    }
  }
}
