import { GroupCommit } from '../src/index.js';

/** A write the test ends by hand: each call is kept with its items until the test resolves or rejects it. */
function heldWrites(): {
  readonly calls: { readonly items: readonly number[]; readonly end: (error?: Error) => void }[];
  readonly write: (items: readonly number[]) => Promise<readonly string[]>;
} {
  const calls: { items: readonly number[]; end: (error?: Error) => void }[] = [];
  const write = (items: readonly number[]): Promise<readonly string[]> =>
    new Promise((resolve, reject) => {
      calls.push({ items, end: (error) => (error ? reject(error) : resolve(items.map((n) => `stored ${n}`))) });
    });
  return { calls, write };
}

/** Lets every settled write's callbacks run (the next write starts once the last one's have). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes at once while fewer than `concurrency` writes are in flight, then groups all that waited', async () => {
    const { calls, write } = heldWrites();
    const group = new GroupCommit(write, { concurrency: 2, maxGroup: 10 });
    const results = [1, 2, 3, 4, 5].map((n) => group.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[0]!.end();
    await expect(results[0]).resolves.toBe('stored 1');
    await settled();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4, 5]]);
    calls[1]!.end();
    calls[2]!.end();
    await expect(Promise.all(results)).resolves.toEqual(['stored 1', 'stored 2', 'stored 3', 'stored 4', 'stored 5']);
    expect(group.stats()).toEqual({ writes: 3, items: 5 });
  });

  it('puts at most `maxGroup` items in one write', async () => {
    const { calls, write } = heldWrites();
    const group = new GroupCommit(write, { concurrency: 1, maxGroup: 2 });
    const results = [1, 2, 3, 4, 5].map((n) => group.submit(n));
    calls[0]!.end();
    await settled();
    calls[1]!.end();
    await settled();
    calls[2]!.end();
    await Promise.all(results);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('writes each item of a failed group alone, so a bad item fails only its own caller', async () => {
    const { calls, write } = heldWrites();
    const group = new GroupCommit(write, { concurrency: 1, maxGroup: 10 });
    const results = [1, 2, 3].map((n) =>
      group.submit(n).then(
        (stored) => stored,
        (error: Error) => error.message,
      ),
    );
    calls[0]!.end();
    await settled();
    calls[1]!.end(new Error('refused: item 3'));
    await settled();
    expect(calls.slice(2).map((c) => c.items)).toEqual([[2], [3]]);
    calls[2]!.end();
    calls[3]!.end(new Error('refused: item 3'));
    await expect(Promise.all(results)).resolves.toEqual(['stored 1', 'stored 2', 'refused: item 3']);
    expect(group.stats()).toEqual({ writes: 2, items: 2 });
  });

  it('with `gather`, writes the items submitted in one turn of the event loop together, after that turn', async () => {
    const { calls, write } = heldWrites();
    const group = new GroupCommit(write, { concurrency: 2, maxGroup: 10, gather: true });
    // As a Kafka fetch hands over its partitions' batches: all at once.
    const first = [1, 2, 3, 4, 5].map((n) => group.submit(n));
    expect(calls).toEqual([]);
    await settled();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3, 4, 5]]);
    // A later turn's items start a write of their own while fewer than `concurrency` are in flight, still gathered.
    const second = [6, 7].map((n) => group.submit(n));
    await settled();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7],
    ]);
    // With `concurrency` in flight, items wait for one to end and go with every item that waited with them.
    const third = [8, 9].map((n) => group.submit(n));
    await settled();
    expect(calls).toHaveLength(2);
    calls[0]!.end();
    await Promise.all(first);
    await settled();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7],
      [8, 9],
    ]);
    calls[1]!.end();
    calls[2]!.end();
    await expect(Promise.all([...second, ...third])).resolves.toEqual(['stored 6', 'stored 7', 'stored 8', 'stored 9']);
    expect(group.stats()).toEqual({ writes: 3, items: 9 });
  });

  it('is drained once every item submitted has been written or refused', async () => {
    const { calls, write } = heldWrites();
    const group = new GroupCommit(write, { concurrency: 1, maxGroup: 10 });
    await group.drained();
    const first = group.submit(1);
    const second = group.submit(2).catch((error: Error) => error.message);
    let drained = false;
    const draining = group.drained().then(() => (drained = true));
    calls[0]!.end();
    await first;
    await settled();
    expect(drained).toBe(false);
    calls[1]!.end(new Error('refused'));
    await draining;
    await expect(second).resolves.toBe('refused');
    expect(drained).toBe(true);
  });
});
