import {
  ErasedSubjectSet,
  exportPoolSize,
  orderedChunks,
  readersInThisThread,
  type ErasedSubjects,
  type ExportChunk,
  type SegmentRunner,
} from '../src/index.js';

/** Segments of ten positions (the product counts the log's events on its index: segmentBoundaries, int-tested). */
const tens =
  (upTo: bigint) =>
  (from: bigint): Promise<bigint> =>
    Promise.resolve(from + 10n < upTo ? from + 10n : upTo);

/** A chunk that says which segment it came from and which of its chunks it is. */
function chunk(after: bigint, k: number): ExportChunk {
  return {
    count: 1,
    positions: Float64Array.of(Number(after) + k + 1),
    outcomes: new Uint8Array(1),
    failures: [],
    typeOf: new Uint16Array(0),
    versionOf: new Uint16Array(0),
    names: [],
  };
}

/** A runner the test drives: each segment waits until the test finishes it, giving `perSegment` chunks. */
class HeldRunner implements SegmentRunner {
  readonly started: { after: bigint; upTo: bigint; done: boolean; finish: (error?: Error) => void }[] = [];
  closed = 0;

  constructor(private readonly perSegment = 2) {}

  run(after: bigint, upTo: bigint, onChunk: (c: ExportChunk) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const segment = {
        after,
        upTo,
        done: false,
        finish: (error?: Error): void => {
          if (segment.done) return;
          segment.done = true;
          if (error) return reject(error);
          for (let k = 0; k < this.perSegment; k++) onChunk(chunk(after, k));
          resolve();
        },
      };
      this.started.push(segment);
    });
  }

  /** As a worker runner does: a segment still running is stopped (and fails). */
  close(): Promise<void> {
    this.closed += 1;
    for (const s of this.started) s.finish(new Error('closed'));
    return Promise.resolve();
  }
}

/** Lets the runners' promises and the generator's awaits settle (no time passes: promise jobs only). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 100; i++) await Promise.resolve();
};

describe('orderedChunks (ADR 0049)', () => {
  it('hands out the chunks in position order whichever segment finishes first, and closes its runners', async () => {
    const runners = [new HeldRunner(), new HeldRunner()];
    const out: number[] = [];
    const consumer = (async () => {
      for await (const c of orderedChunks(0n, 50n, tens(50n), () => runners)) out.push(c.positions[0]!);
    })();
    await settle();
    // One segment each at first: (0, 10] and (10, 20].
    expect(runners.map((r) => r.started.map((s) => [s.after, s.upTo]))).toEqual([[[0n, 10n]], [[10n, 20n]]]);
    runners[1]!.started[0]!.finish(); // the second segment is done first: nothing can be handed out yet
    await settle();
    expect(out).toEqual([]);
    runners[0]!.started[0]!.finish();
    await settle();
    expect(out).toEqual([1, 2, 11, 12]);
    // Each runner took the next segment when it was free; the last is cut at upTo.
    const pending = runners.flatMap((r) => r.started.slice(1));
    expect(pending.map((s) => [s.after, s.upTo]).sort((a, b) => Number(a[0]! - b[0]!))).toEqual([
      [20n, 30n],
      [30n, 40n],
    ]);
    for (const s of pending) s.finish();
    await settle();
    runners
      .flatMap((r) => r.started)
      .find((s) => s.after === 40n)!
      .finish();
    await consumer;
    expect(out).toEqual([1, 2, 11, 12, 21, 22, 31, 32, 41, 42]);
    expect(runners.map((r) => r.closed)).toEqual([1, 1]);
  });

  it('takes at most one segment more than it has runners ahead of the one it hands out', async () => {
    const runners = [new HeldRunner(), new HeldRunner()];
    const iterator = orderedChunks(0n, 1000n, tens(1000n), () => runners)[Symbol.asyncIterator]();
    const first = iterator.next();
    await settle();
    // The first segment is held; the others finish as soon as they start.
    for (let round = 0; round < 5; round++) {
      for (const s of runners.flatMap((r) => r.started).filter((s) => s.after > 0n)) s.finish();
      await settle();
    }
    const started = runners.flatMap((r) => r.started.map((s) => s.after)).sort((a, b) => Number(a - b));
    expect(started).toEqual([0n, 10n, 20n]);
    runners[0]!.started[0]!.finish();
    expect((await first).value!.positions[0]).toBe(1);
    await iterator.return(undefined);
    expect(runners.map((r) => r.closed)).toEqual([1, 1]);
  });

  it("throws a segment's failure once the segments before it are handed out, and stops the others", async () => {
    const runners = [new HeldRunner(), new HeldRunner()];
    const out: number[] = [];
    const consumer = (async () => {
      for await (const c of orderedChunks(0n, 40n, tens(40n), () => runners)) out.push(c.positions[0]!);
    })();
    await settle();
    runners[1]!.started[0]!.finish(new Error('connection lost'));
    await settle();
    expect(out).toEqual([]);
    runners[0]!.started[0]!.finish();
    await expect(consumer).rejects.toThrow('connection lost');
    expect(out).toEqual([1, 2]);
    expect(runners.map((r) => r.closed)).toEqual([1, 1]);
  });

  it('gives nothing for an empty range (no runner made), and refuses a boundary that does not move forward', async () => {
    const runner = new HeldRunner();
    let made = 0;
    const none: ExportChunk[] = [];
    for await (const c of orderedChunks(5n, 5n, tens(5n), () => (made++, [runner]))) none.push(c);
    expect({ none, made }).toEqual({ none: [], made: 0 });
    await expect(
      orderedChunks(
        0n,
        5n,
        () => Promise.resolve(0n),
        () => [runner],
      ).next(),
    ).rejects.toThrow(/cannot end at 0/);
    expect(runner.closed).toBe(1);
  });
});

describe('readersInThisThread and exportPoolSize: one decision', () => {
  const callersOwn: ErasedSubjects = {
    isErased: () => Promise.resolve(new Set<string>()),
    isEmpty: () => true,
    digest: () => 'callers-own',
  };

  it('gives the export thread a connection for each reader whenever its readers stay in that thread', () => {
    // Worker threads (the export loads an ErasedSubjectSet itself, or is given one): the count and the boundaries.
    expect(readersInThisThread({})).toBe(false);
    expect(exportPoolSize({ workers: 3 })).toBe(2);
    expect(readersInThisThread({ erasedSubjects: new ErasedSubjectSet(['s-1']) })).toBe(false);
    expect(exportPoolSize({ workers: 3, erasedSubjects: new ErasedSubjectSet(['s-1']) })).toBe(2);
    // Readers in this thread: asked for, or an erased set that cannot be copied to a thread.
    expect(readersInThisThread({ workersInProcess: true })).toBe(true);
    expect(exportPoolSize({ workers: 3, workersInProcess: true })).toBe(4);
    expect(readersInThisThread({ erasedSubjects: callersOwn })).toBe(true);
    expect(exportPoolSize({ workers: 3, erasedSubjects: callersOwn })).toBe(4);
    // One reader: itself and the count.
    expect(exportPoolSize({})).toBe(2);
    expect(exportPoolSize({ workers: 1, erasedSubjects: callersOwn })).toBe(2);
  });
});
