import {
  asUndecodable,
  UndecodableEventError,
  type OnUndecodable,
  type StoredEventRef,
  type UndecodableStage,
} from './undecodable-events.js';

/** An event a reader could not take, as recorded in that reader's dead letters. */
export interface ReaderDeadLetter {
  readonly reader: string;
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly stage: UndecodableStage;
  readonly reason: string;
  /** ISO-8601: when it was first recorded. */
  readonly failedAt: string;
}

/**
 * Dead letters of the readers of the global log (relay, national projector, process managers, national views,
 * sealer, research export), kept beside the log and keyed by reader name and position: recording the same event
 * twice (a batch replayed after a crash) keeps the first record.
 */
export interface DeadLetterStore {
  recordDeadLetter(reader: string, failure: UndecodableEventError): Promise<void>;
  deadLetterCount(reader: string): Promise<number>;
  /** Every reader's count (metrics). */
  deadLetterCounts(): Promise<ReadonlyMap<string, number>>;
  /** Oldest first. */
  listDeadLetters(reader: string, options?: { readonly limit?: number }): Promise<ReaderDeadLetter[]>;
}

/**
 * One reader's isolation of poison events (one mechanism for every reader): `onUndecodable` goes in its
 * ReadAllOptions (the store's read path skips what it cannot decode, decrypt or upcast), `isolate` wraps its own
 * work on one event (apply, publish). Both write the dead letter before returning, so the reader's checkpoint,
 * saved afterwards, never passes an event that is not recorded. A transient fault is rethrown, never recorded.
 */
export class ReaderDeadLetters {
  private isolatedUpTo: bigint | undefined;
  /** Dead letters recorded by this process (the durable count is `count()`). */
  recorded = 0;

  constructor(
    private readonly store: DeadLetterStore,
    readonly reader: string,
  ) {}

  readonly onUndecodable: OnUndecodable = async (failure) => {
    await this.store.recordDeadLetter(this.reader, failure);
    this.recorded += 1;
    if (this.isolatedUpTo === undefined || failure.position > this.isolatedUpTo) this.isolatedUpTo = failure.position;
  };

  /** Records `error` of `event` as a dead letter; rethrows it when it is transient (the reader's loop retries). */
  async isolate(event: StoredEventRef, stage: UndecodableStage, error: unknown): Promise<void> {
    const failure = asUndecodable(event, stage, error);
    if (!(failure instanceof UndecodableEventError)) throw failure;
    await this.onUndecodable(failure);
  }

  /** Forgets what an earlier batch isolated (one that failed before it reached its checkpoint is read again). */
  startBatch(): void {
    this.isolatedUpTo = undefined;
  }

  /**
   * How far a batch got: the later of its last event taken (`last`) and the last event isolated since the previous
   * call (a batch of nothing but poison still moves the checkpoint past it). Undefined: the batch read nothing.
   */
  reached(last: bigint | undefined): bigint | undefined {
    const isolated = this.isolatedUpTo;
    this.isolatedUpTo = undefined;
    if (isolated === undefined) return last;
    return last === undefined || isolated > last ? isolated : last;
  }

  count(): Promise<number> {
    return this.store.deadLetterCount(this.reader);
  }

  list(limit = 100): Promise<ReaderDeadLetter[]> {
    return this.store.listDeadLetters(this.reader, { limit });
  }
}
