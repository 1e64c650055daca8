/** What the read-ahead needs of a batch read: where it ended (undefined: nothing read) and whether it was full. */
export interface ReadEnd {
  readonly reached: bigint | undefined;
  readonly full: boolean;
}

/**
 * The relay's reads of the log, one after another (never two at once), up to `depth` batches ahead of the batch being
 * published (issue 14): a read starts as soon as the one before has ended, if it was full, while fewer than `depth`
 * batches wait to be taken. A read that fails ends the reading (the failure comes out of `take`).
 */
export class ReadAhead<B extends ReadEnd> {
  /** Reads started and not taken yet, in log order (the last one may still run). */
  private readonly waiting: Promise<B>[] = [];
  private reading = false;
  /** Where the next read starts (undefined: the last read has not ended, or was not full, or failed). */
  private nextFrom: bigint | undefined;
  private started = 0;
  private stopped = false;

  constructor(
    private readonly read: (from: bigint) => Promise<B>,
    from: bigint,
    private readonly options: { readonly depth: number; readonly maxBatches: number; readonly signal?: AbortSignal | undefined },
  ) {
    this.start(from);
  }

  /** The next batch in log order; undefined once no read is left (the last was not full, or the limit was reached). */
  take(): Promise<B> | undefined {
    const batch = this.waiting.shift();
    this.startNext();
    return batch;
  }

  /** Stops reading: the batches read and not taken (their reads ended), for the caller to drop. */
  async stop(): Promise<B[]> {
    this.stopped = true;
    const dropped: B[] = [];
    for (const read of this.waiting.splice(0)) {
      const batch = await read.catch(() => undefined);
      if (batch) dropped.push(batch);
    }
    return dropped;
  }

  private start(from: bigint): void {
    this.started += 1;
    this.reading = true;
    const read = this.read(from);
    this.waiting.push(read);
    read.then(
      (batch) => {
        this.reading = false;
        this.nextFrom = batch.full && batch.reached !== undefined ? batch.reached : undefined;
        this.startNext();
      },
      // Handled here: a read failing ahead of the publishes must not be an unhandled rejection; `take` gives it out.
      () => {
        this.reading = false;
        this.nextFrom = undefined;
      },
    );
  }

  private startNext(): void {
    const from = this.nextFrom;
    if (from === undefined || this.reading || this.stopped || this.options.signal?.aborted) return;
    if (this.started >= this.options.maxBatches || this.waiting.length >= this.options.depth) return;
    this.nextFrom = undefined;
    this.start(from);
  }
}
