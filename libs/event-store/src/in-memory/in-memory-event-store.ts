import type { NewEvent, RecordedEvent } from '#contracts';
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamMetadata,
  type SubscribeOptions,
} from '../event-store.port.js';
import type { CheckpointStore } from '../checkpoint-store.port.js';
import { StreamForceMismatchError } from '../errors.js';
import { catchUpSubscription } from '../subscription.js';
import type { DeadLetterStore, ReaderDeadLetter } from '../dead-letters.js';
import type { UndecodableEventError } from '../undecodable-events.js';

interface Stream {
  force: string;
  events: RecordedEvent[];
  metadata?: StreamMetadata;
}

/** In-memory adapter: for unit tests only (DESIGN.md section 7). Passes the same contract suite. */
export class InMemoryEventStore implements EventStore, CheckpointStore, DeadLetterStore {
  private readonly streams = new Map<string, Stream>();
  private readonly log: RecordedEvent[] = [];
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly checkpoints = new Map<string, bigint>();
  private readonly deadLetters: ReaderDeadLetter[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    const force = events[0]!.metadata.force;
    const stream = this.streams.get(streamId);
    if (stream && stream.force !== force) return Promise.reject(new StreamForceMismatchError(streamId, force));
    const current = stream ? BigInt(stream.events.length) - 1n : -1n;
    const found = events.map((e) => this.byId.get(e.id)).filter((e) => e !== undefined);
    if (found.length > 0) {
      if (found.length === events.length && found.every((e) => e.streamId === streamId)) {
        return Promise.resolve({
          nextExpectedRevision: current,
          position: found.reduce((max, e) => (e.position > max ? e.position : max), 0n),
          idempotentReplay: true,
        });
      }
      return Promise.reject(
        new EventIdConflictError(
          streamId,
          events.map((e) => e.id),
        ),
      );
    }
    const conflict =
      (expected === 'no-stream' && current !== -1n) ||
      (expected === 'stream-exists' && current === -1n) ||
      (typeof expected === 'bigint' && expected !== current);
    if (conflict) {
      return Promise.reject(new WrongExpectedRevisionError(streamId, expected, current < 0n ? undefined : current));
    }
    const target = stream ?? { force, events: [] };
    this.streams.set(streamId, target);
    const recordedAt = this.clock().toISOString();
    for (const event of events) {
      const recorded: RecordedEvent = {
        ...event,
        streamId,
        revision: BigInt(target.events.length),
        position: BigInt(this.log.length + 1),
        recordedAt,
      };
      target.events.push(recorded);
      this.log.push(recorded);
      this.byId.set(recorded.id, recorded);
    }
    const last = target.events[target.events.length - 1]!;
    return Promise.resolve({ nextExpectedRevision: last.revision, position: last.position, idempotentReplay: false });
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; memory answers at once
  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const events = this.streams.get(streamId)?.events ?? [];
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const selected = (backwards ? [...events].reverse() : events).filter(
      (e) => from === undefined || (backwards ? e.revision <= from : e.revision >= from),
    );
    yield* selected.slice(0, options.maxCount ?? selected.length);
  }

  headPosition(force?: string): Promise<bigint> {
    if (force === undefined) return Promise.resolve(BigInt(this.log.length));
    const last = this.log.findLast((e) => e.metadata.force === force);
    return Promise.resolve(last?.position ?? 0n);
  }

  countEvents(options: { readonly force: string; readonly afterPosition?: bigint }): Promise<number> {
    const after = options.afterPosition ?? 0n;
    return Promise.resolve(this.log.filter((e) => e.metadata.force === options.force && e.position > after).length);
  }

  streamForce(streamId: string): Promise<string | undefined> {
    const stream = this.streams.get(streamId);
    return Promise.resolve(stream && stream.events.length > 0 ? stream.force : undefined);
  }

  streamRevision(streamId: string): Promise<bigint | undefined> {
    const length = this.streams.get(streamId)?.events.length ?? 0;
    return Promise.resolve(length === 0 ? undefined : BigInt(length - 1));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; memory answers at once
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = Number(options.fromPosition ?? 0n);
    const tail = this.log.slice(from).filter((e) => options.force === undefined || e.metadata.force === options.force);
    yield* tail.slice(0, options.maxCount ?? tail.length);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    return catchUpSubscription((o) => this.readAll(o), options);
  }

  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    const stream = this.streams.get(streamId);
    if (!stream) return Promise.reject(new Error(`stream ${streamId} does not exist`));
    stream.metadata = metadata;
    return Promise.resolve();
  }

  getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    return Promise.resolve(this.streams.get(streamId)?.metadata);
  }

  loadCheckpoint(name: string): Promise<bigint> {
    return Promise.resolve(this.checkpoints.get(name) ?? 0n);
  }

  saveCheckpoint(name: string, position: bigint): Promise<void> {
    const current = this.checkpoints.get(name) ?? 0n;
    this.checkpoints.set(name, position > current ? position : current);
    return Promise.resolve();
  }

  recordDeadLetter(reader: string, failure: UndecodableEventError): Promise<void> {
    if (!this.deadLetters.some((d) => d.reader === reader && d.position === failure.position)) {
      const { position, streamId, revision, eventId, type, stage, reason } = failure;
      this.deadLetters.push({ reader, position, streamId, revision, eventId, type, stage, reason, failedAt: this.clock().toISOString() });
    }
    return Promise.resolve();
  }

  deadLetterCount(reader: string): Promise<number> {
    return Promise.resolve(this.deadLetters.filter((d) => d.reader === reader).length);
  }

  deadLetterCounts(): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const { reader } of this.deadLetters) counts.set(reader, (counts.get(reader) ?? 0) + 1);
    return Promise.resolve(counts);
  }

  listDeadLetters(reader: string, options: { readonly limit?: number } = {}): Promise<ReaderDeadLetter[]> {
    const mine = this.deadLetters.filter((d) => d.reader === reader).sort((a, b) => (a.position < b.position ? -1 : 1));
    return Promise.resolve(mine.slice(0, options.limit ?? 100));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
