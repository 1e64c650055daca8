interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Writes in flight at once. */
  readonly concurrency: number;
  /** Items in one write at most. */
  readonly maxGroup: number;
  /**
   * Items submitted in the same turn of the event loop go in one write: a write that could start waits for the turn
   * to end (setImmediate) first. For callers whose items arrive together (a Kafka fetch hands its partitions'
   * batches over at once), which would otherwise take `concurrency` writes and leave the rest for a further one.
   */
  readonly gather?: boolean;
}

/**
 * Group commit for a writer whose callers each wait for their own item to be durable (ADR 0046, ADR 0048): an item
 * goes at once when fewer than `concurrency` writes are in flight, and otherwise waits for one to end and goes with
 * every item that waited with it, in one write (one transaction). Under light load nothing waits; under load the
 * statements and commits per item fall. Each caller's promise settles with its own item's result, only once the
 * write that held it has ended. Should a write of several fail, each of its items is written alone, so that one bad
 * item fails only its own caller.
 */
export class GroupCommit<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private gathering = false;
  private idle: (() => void)[] = [];
  private readonly counts = { writes: 0, items: 0 };

  constructor(
    /** Writes the items in one transaction; resolves to each item's result, in the items' order. */
    private readonly write: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.options.gather) this.pump();
      else if (!this.gathering && this.inFlight < this.options.concurrency) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          this.pump();
        });
      }
    });
  }

  /** Writes that succeeded and the items they held (a test's view of the grouping). */
  stats(): { readonly writes: number; readonly items: number } {
    return { ...this.counts };
  }

  /** Resolves once every item submitted so far has been written (or refused). */
  drained(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < this.options.concurrency) {
      const group = this.waiting.splice(0, this.options.maxGroup);
      this.inFlight += 1;
      void this.writeGroup(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.inFlight === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async writeGroup(group: readonly Waiting<T, R>[]): Promise<void> {
    let results: readonly R[];
    try {
      results = await this.write(group.map((one) => one.item));
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      // One bad item must not fail the others: each is written alone.
      else await Promise.all(group.map((one) => this.writeGroup([one])));
      return;
    }
    this.counts.writes += 1;
    this.counts.items += group.length;
    group.forEach((one, i) => one.resolve(results[i]!));
  }
}
