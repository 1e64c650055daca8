import type { RecordedEvent } from '#contracts';
import {
  idle,
  ReaderDeadLetters,
  WrongExpectedRevisionError,
  type CheckpointStore,
  type DeadLetterStore,
  type EventStore,
} from '#event-store';

/**
 * A process manager's reading of the global log from its own checkpoint, a batch at a time: each event handed to
 * `handle`, the checkpoint moved past the batch once it is handled. An event whose data cannot be read or reacted to
 * is recorded as a dead letter and passed (every reaction is idempotent, so one half-done is safe); a transient fault,
 * or another writer's append to the same stream in between (the batch again decides on the new state), propagates
 * before the checkpoint moves, so the batch is read again.
 */
export class CheckpointedReader {
  position = 0n;
  /** Events it cannot read or react to (undecodable, undecryptable, not upcastable, failing): recorded and passed. */
  readonly deadLetters: ReaderDeadLetters;

  constructor(
    private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    readonly name: string,
    private readonly batchSize: number,
    private readonly handle: (event: RecordedEvent) => Promise<void>,
  ) {
    this.deadLetters = new ReaderDeadLetters(store, name);
  }

  /** Reads the checkpoint again (on every start, and after another instance held the manager's lock). */
  async load(): Promise<bigint> {
    this.position = await this.store.loadCheckpoint(this.name);
    return this.position;
  }

  /** Processes one batch of the log; returns how many events it read (0: caught up). */
  async processOnce(): Promise<number> {
    let count = 0;
    let last: bigint | undefined;
    this.deadLetters.startBatch();
    const isolatedBefore = this.deadLetters.recorded;
    const read = {
      fromPosition: this.position,
      batchSize: this.batchSize,
      maxCount: this.batchSize,
      onUndecodable: this.deadLetters.onUndecodable,
    };
    for await (const event of this.store.readAll(read)) {
      try {
        await this.handle(event);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) throw error;
        await this.deadLetters.isolate(event, 'apply', error);
      }
      last = event.position;
      count += 1;
    }
    const reached = this.deadLetters.reached(last);
    if (reached !== undefined) {
      await this.store.saveCheckpoint(this.name, reached);
      this.position = reached;
    }
    return count + this.deadLetters.recorded - isolatedBefore;
  }

  /**
   * Processes until every committed event, including those its own reactions append, has been handled. Reading stops
   * short of a transaction still running anywhere on the server (the global log's read horizon), so "a batch came
   * back empty" is not "caught up": this waits for the horizon instead, until the head stops moving.
   */
  async catchUp(): Promise<void> {
    let head = await this.store.headPosition();
    while (this.position < head) {
      if ((await this.processOnce()) === 0) await idle(5, undefined);
      if (this.position >= head) head = await this.store.headPosition();
    }
  }
}

/** What a manager built on a `CheckpointedReader` exposes of its reading, for its runner, operators and tests. */
export abstract class CheckpointedManager {
  protected abstract readonly reader: CheckpointedReader;

  get position(): bigint {
    return this.reader.position;
  }

  /** Events it cannot read or react to (undecodable, undecryptable, not upcastable, failing): recorded and passed. */
  get deadLetters(): ReaderDeadLetters {
    return this.reader.deadLetters;
  }

  /** Processes one batch of the log; returns how many events it read (0: caught up). */
  processOnce(): Promise<number> {
    return this.reader.processOnce();
  }

  /** Processes until every committed event, including those its own reactions append, has been handled. */
  catchUp(): Promise<void> {
    return this.reader.catchUp();
  }
}
