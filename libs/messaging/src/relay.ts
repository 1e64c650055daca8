import {
  forceTopic,
  isForceCode,
  missingCloudEventHeaders,
  NATIONAL,
  nationalTopic,
  topicOf,
  toKafkaRecord,
  activeTraceFields,
  backboneTracer,
  contextOfTraceFields,
  type KafkaRecord,
  type RecordedEvent,
} from '#contracts';
import { idle, ReaderDeadLetters, type AppendWakeup, type CheckpointStore, type DeadLetterStore, type EventStore } from '#event-store';
import type { MessageBus } from './message-bus.port.js';
import { TrailingCheckpoint } from './relay-checkpoint.js';
import { ReadAhead } from './relay-read-ahead.js';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

export interface RelayOptions {
  /** Checkpoint name; one per relay deployment. */
  readonly name?: string;
  readonly batchSize?: number;
  /** Batches read ahead of the one being published (default 2; reads are never concurrent with each other). */
  readonly readAhead?: number;
  /** Longest wait when caught up (default 20 ms polling alone; with `wakeup`, the safety-net poll). */
  readonly idlePollMs?: number;
  /** Ends the idle wait when an append commits (LISTEN/NOTIFY, ADR 0028); the poll stays as the safety net. */
  readonly wakeup?: AppendWakeup;
  readonly topicPrefix?: string;
  /** Force topics created up front (one per force), with the national topic; others are created on first use. */
  readonly forces?: readonly string[];
  readonly onBatch?: (count: number, lastPosition: bigint) => void;
  /** Base URL of the served schemas, for `ce_dataschema` (NOM_SCHEMA_BASE_URL, ADR 0031). */
  readonly schemaBaseUrl?: string;
}

/**
 * Why the relay would refuse an event (no topic may carry it: its metadata names no force, or lacks what a
 * CloudEvents header needs), or undefined when it publishes it. Asked without building the record, so that a
 * projection rebuilt from the store passes the same events the relay dead-letters, at little cost per event.
 */
export function relayRefusal(event: RecordedEvent): string | undefined {
  const force = event.metadata.force;
  if (force !== NATIONAL && !isForceCode(force)) return `metadata.force ${JSON.stringify(force)} is neither a force code nor ${NATIONAL}`;
  // A header without a value would fail the whole batch at the broker client.
  const missing = missingCloudEventHeaders(event);
  return missing.length > 0 ? `metadata lacks what the CloudEvents headers need: ${missing.join(', ')}` : undefined;
}

/** The event as the relay publishes it; throws for an event the relay refuses (`relayRefusal`), which it dead-letters. */
export function relayRecordOf(event: RecordedEvent, schemaBaseUrl?: string): KafkaRecord {
  const refusal = relayRefusal(event);
  if (refusal !== undefined) throw new Error(refusal);
  return toKafkaRecord(event, schemaBaseUrl);
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
  /** The topic of each owner (a force code or `national`; only those relayRecordOf lets through, so a few dozen). */
  private readonly topics = new Map<string, string>();
  /** Events it cannot publish (undecodable, not upcastable, no force's), each recorded and passed. */
  readonly deadLetters: ReaderDeadLetters;
  published = 0;
  position = 0n;

  constructor(
    private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    private readonly bus: MessageBus,
    private readonly options: RelayOptions = {},
  ) {
    this.name = options.name ?? 'relay';
    this.deadLetters = new ReaderDeadLetters(store, this.name);
  }

  private topicOf(event: RecordedEvent): string {
    // metadata.force `national` (a national stream) goes to the national topic, any other to that force's topic.
    const force = event.metadata.force;
    let topic = this.topics.get(force);
    if (topic === undefined) this.topics.set(force, (topic = topicOf(force, this.options.topicPrefix)));
    return topic;
  }

  private async ensure(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (missing.length === 0) return;
    await this.bus.ensureTopics(missing);
    for (const t of missing) this.knownTopics.add(t);
  }

  /** Relays one batch; returns how many events it read past (published or dead-lettered; 0: caught up). */
  relayOnce(): Promise<number> {
    return this.relayBatches(1);
  }

  /**
   * Relays up to `maxBatches` batches (until it reads one that is not full), reading the next batches while one is
   * published (ReadAhead), and writing the checkpoint behind the publishes (issue 14: the relay at the producer's pace,
   * the log's read, the encoding and the checkpoint's write hidden behind the broker's round trip). The checkpoint
   * still moves only past what the broker acknowledged, in order (TrailingCheckpoint), and is saved past every batch
   * acknowledged before this returns or throws; batches read ahead of a failed publish are dropped (the next round
   * reads them again). Returns how many events it read past (0: caught up); `healthy` after each batch published.
   */
  async relayBatches(maxBatches = Number.POSITIVE_INFINITY, healthy: () => void = () => undefined, signal?: AbortSignal): Promise<number> {
    let total = 0;
    const checkpoint = new TrailingCheckpoint(
      (position) => this.store.saveCheckpoint(this.name, position),
      ({ reached, published }) => {
        this.position = reached;
        this.published += published;
        this.options.onBatch?.(published, reached);
      },
    );
    const reads = new ReadAhead((from) => this.readBatch(from), this.position, {
      depth: this.options.readAhead ?? 2,
      maxBatches,
      signal,
    });
    try {
      for (let next = reads.take(); next; next = reads.take()) {
        const batch: ReadBatch = await next;
        if (batch.reached === undefined) break;
        const published = await this.publishBatch(batch);
        checkpoint.acknowledged({ reached: batch.reached, published });
        total += published + batch.isolated;
        healthy();
      }
      await checkpoint.flush();
      return total;
    } finally {
      // After a failure, what was acknowledged is still saved (or its write has ended) before the caller sees it.
      await checkpoint.flush().catch(() => undefined);
      // Batches read ahead and not published (a failed publish, or the signal): their publish spans end unpublished.
      for (const dropped of await reads.stop()) for (const span of dropped.spans) span.end();
    }
  }

  /**
   * Reads a batch after `from` and encodes it by topic; events no topic may carry are dead-lettered on the way
   * (idempotent: read again after a failure, they are recorded once). Reads are never concurrent with each other.
   */
  private async readBatch(from: bigint): Promise<ReadBatch> {
    const batchSize = this.options.batchSize ?? 500;
    const byTopic = new Map<string, KafkaRecord[]>();
    const spans: Span[] = [];
    let last: RecordedEvent | undefined;
    let events = 0;
    this.deadLetters.startBatch();
    const isolatedBefore = this.deadLetters.recorded;
    const read = { fromPosition: from, batchSize, maxCount: batchSize, onUndecodable: this.deadLetters.onUndecodable };
    for await (const event of this.store.readAll(read)) {
      events += 1;
      let record: KafkaRecord;
      try {
        record = relayRecordOf(event, this.options.schemaBaseUrl);
      } catch (error) {
        await this.deadLetters.isolate(event, 'publish', error);
        continue;
      }
      const topic = this.topicOf(event);
      let records = byTopic.get(topic);
      if (!records) byTopic.set(topic, (records = []));
      records.push(publishSpan(event, topic, record, spans));
      last = event;
    }
    // Dead letters are written by now: the checkpoint may pass them.
    const reached = this.deadLetters.reached(last?.position);
    const isolated = this.deadLetters.recorded - isolatedBefore;
    return { byTopic, spans, reached, isolated, full: events + isolated >= batchSize };
  }

  /** Publishes a batch read (resolves once the broker has acknowledged it); returns how many events it published. */
  private async publishBatch(batch: ReadBatch): Promise<number> {
    const { byTopic, spans } = batch;
    if (byTopic.size === 0) return 0;
    try {
      await this.ensure([...byTopic.keys()]);
      await this.bus.publish([...byTopic].map(([topic, records]) => ({ topic, records })));
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: 'publish failed' });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    let count = 0;
    for (const records of byTopic.values()) count += records.length;
    return count;
  }

  /**
   * Runs until the signal aborts, from its checkpoint (read again on every start); `healthy` after each batch
   * published and each round that found nothing. Errors (broker or database away) propagate to its supervisor, which
   * starts it again (ADR 0021).
   */
  async run(signal: AbortSignal, healthy: () => void = () => undefined): Promise<void> {
    this.position = await this.store.loadCheckpoint(this.name);
    const { forces = [], topicPrefix } = this.options;
    await this.ensure([...forces.map((f) => forceTopic(f, topicPrefix)), nationalTopic(topicPrefix)]);
    while (!signal.aborted) {
      const count = await this.relayBatches(Number.POSITIVE_INFINITY, healthy, signal);
      healthy();
      if (count > 0) continue;
      const { wakeup, idlePollMs = 20 } = this.options;
      await (wakeup ? wakeup.wait(idlePollMs, signal) : idle(idlePollMs, signal));
    }
  }
}

/** A batch read from the log, encoded by topic, not yet published. */
interface ReadBatch {
  readonly byTopic: ReadonlyMap<string, KafkaRecord[]>;
  readonly spans: Span[];
  /** Where the checkpoint goes once it is published (undefined: nothing read). */
  readonly reached: bigint | undefined;
  /** Events dead-lettered while reading it. */
  readonly isolated: number;
  /** It read a whole batch: more is probably waiting. */
  readonly full: boolean;
}

/**
 * For an event that carries a trace (ADR 0039): a `relay publish` span, child of the append's context, and the
 * record with that span's context as its `ce_traceparent`, so the projector's apply is the publish's child. The
 * span ends when the batch's publish does. An event without a trace is published as it is.
 */
function publishSpan(event: RecordedEvent, topic: string, record: KafkaRecord, spans: Span[]): KafkaRecord {
  if (event.metadata.traceparent === undefined) return record;
  const parent = contextOfTraceFields(event.metadata);
  if (!trace.getSpanContext(parent)) return record;
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'send',
    'messaging.destination.name': topic,
    'messaging.message.id': event.id,
    'nom.force': event.metadata.force,
    'nom.position': event.position.toString(),
  };
  const span = backboneTracer().startSpan('relay publish', { kind: SpanKind.PRODUCER, attributes }, parent);
  spans.push(span);
  const fields = activeTraceFields(trace.setSpan(parent, span));
  if (fields.traceparent === undefined) return record;
  const headers: Record<string, string> = { ...record.headers, ce_traceparent: fields.traceparent };
  if (fields.tracestate !== undefined) headers['ce_tracestate'] = fields.tracestate;
  else delete headers['ce_tracestate'];
  return { ...record, headers };
}
