import type { NewEvent, RecordedEvent } from '#contracts';
import type { OnUndecodable } from './undecodable-events.js';

/**
 * What the appender believes about the stream:
 *  - `no-stream`: it must not exist yet (creating a case);
 *  - `stream-exists`: it must have at least one event;
 *  - `any`: no check (use sparingly: process managers appending idempotent facts);
 *  - a bigint: the revision of its last event, as the decision was made against it.
 */
export type ExpectedRevision = 'no-stream' | 'stream-exists' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  readonly position: bigint;
  /** True when every event id was already stored: a retried append, nothing written twice. */
  readonly idempotentReplay: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  /** An event the read path cannot decode, decrypt or upcast goes here and is skipped (else: UndecodableEventError). */
  readonly onUndecodable?: OnUndecodable;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. `0n` (or omitted) reads from the beginning. */
  readonly fromPosition?: bigint;
  /** Rows fetched per round trip; memory held by a reader is bounded by this, not by the log's length. */
  readonly batchSize?: number;
  /** Stop after this many events. */
  readonly maxCount?: number;
  /** Only the events of this owner (a force code, or `national`): one force's history, e.g. for a projection rebuild. */
  readonly force?: string;
  /**
   * A reader's dead-letter hook: an event the read path cannot decode, decrypt or upcast is passed to it (awaited)
   * and skipped, and the read carries on. Without it, such an event throws UndecodableEventError. A transient fault
   * (database, key store away) always throws. Each decorating layer applies it to its own step.
   */
  readonly onUndecodable?: OnUndecodable;
}

export interface SubscribeOptions extends ReadAllOptions {
  /** How long to wait before polling again once caught up. */
  readonly idlePollMs?: number;
  readonly signal?: AbortSignal;
}

export interface StreamMetadata {
  readonly [key: string]: unknown;
}

/**
 * The event store port (DESIGN.md section 4). Every adapter passes the shared contract suite in
 * libs/event-store/test/event-store.contract.ts.
 */
export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order (or reverse); an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /**
   * Position of the last committed event (0n when the log is empty): how far a reader must get to be caught up.
   * With `force`, the last event of that force's streams.
   */
  headPosition(force?: string): Promise<bigint>;
  /** How many events of `force` lie after `afterPosition` (exclusive): how far a reader of that force is behind. */
  countEvents(options: { readonly force: string; readonly afterPosition?: bigint }): Promise<number>;
  /** The force that owns a stream (the one that created it), or undefined when it does not exist. */
  streamForce(streamId: string): Promise<string | undefined>;
  /** Current revision of a stream, or undefined when it has no events. */
  streamRevision(streamId: string): Promise<bigint | undefined>;
  /**
   * The global log in position order, fetched in batches: committed events only, and never an event that
   * could later commit at a lower position than one already returned.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up then live: yields every event after `fromPosition`, then waits for new ones until aborted. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void>;
  getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined>;
  close(): Promise<void>;
}

/** The stream is not at the revision the caller expected: someone else appended first. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Undefined when the stream has no events. */
    readonly actual: bigint | undefined,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : actual.toString()}`);
  }
}

/** Some event ids of an append are already stored, but not as this very append (another stream, or a partial overlap). */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamId}: event ids already stored elsewhere or partially: ${eventIds.join(', ')}`);
  }
}
