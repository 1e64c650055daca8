/** A batch the broker has acknowledged, waiting for the checkpoint to be saved past it. */
export interface AcknowledgedBatch {
  /** Where the checkpoint goes past it. */
  readonly reached: bigint;
  /** Events it published. */
  readonly published: number;
}

/**
 * The relay's checkpoint, written behind its publishes (issue 14): the write no longer sits between one batch's
 * acknowledgement and the next batch's publish. Only batches the broker acknowledged are given to it, in order; it
 * writes one position at a time, each the latest acknowledged when the write before it ended (batches acknowledged
 * meanwhile share one write), so the checkpoint only moves forward and only past acknowledged batches. `saved` is told
 * of each batch once the checkpoint past it is durable.
 */
export class TrailingCheckpoint {
  private readonly waiting: AcknowledgedBatch[] = [];
  private writing: Promise<void> | undefined;
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly save: (position: bigint) => Promise<void>,
    private readonly saved: (batch: AcknowledgedBatch) => void,
  ) {}

  /** A batch the broker acknowledged, after every batch given before; throws if a write has failed. */
  acknowledged(batch: AcknowledgedBatch): void {
    this.throwIfFailed();
    this.waiting.push(batch);
    this.writing ??= this.write();
  }

  /** Resolves once the checkpoint is saved past every batch acknowledged; rejects if a write failed. */
  async flush(): Promise<void> {
    await this.writing;
    this.throwIfFailed();
  }

  private async write(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batches = this.waiting.splice(0);
        await this.save(batches[batches.length - 1]!.reached);
        for (const batch of batches) this.saved(batch);
      }
    } catch (error) {
      // The batches not saved past are read and published again by the next round (the bus leaves out duplicates).
      this.waiting.length = 0;
      this.failure = { error };
    } finally {
      this.writing = undefined;
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
