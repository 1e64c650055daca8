import { InMemoryEventStore, ReaderDeadLetters, UndecodableEventError, decodeEach, type StoredEventRef } from '../src/index.js';

const ref = (position: bigint): StoredEventRef => ({ position, streamId: `s-${position}`, revision: 0n, id: `id-${position}`, type: 't' });

// eslint-disable-next-line @typescript-eslint/require-await -- an async source over values in memory
async function* source(...items: StoredEventRef[]): AsyncGenerator<StoredEventRef> {
  yield* items;
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

/** A fault of the connection, as node-postgres raises it when the server goes away. */
const connectionReset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

describe(decodeEach.name, () => {
  const failOn2 = (event: StoredEventRef): bigint => {
    if (event.position === 2n) throw new TypeError('garbled');
    return event.position;
  };

  it('hands a data fault to the hook and carries on past the event', async () => {
    const seen: UndecodableEventError[] = [];
    const decoded = await collect(
      decodeEach(source(ref(1n), ref(2n), ref(3n)), 'upcast', failOn2, (f) => Promise.resolve(void seen.push(f))),
    );
    expect(decoded).toEqual([1n, 3n]);
    expect(seen.map((f) => [f.position, f.eventId, f.stage, f.reason])).toEqual([[2n, 'id-2', 'upcast', 'garbled']]);
  });

  it('throws UndecodableEventError without a hook', async () => {
    await expect(collect(decodeEach(source(ref(1n), ref(2n)), 'decode', failOn2, undefined))).rejects.toBeInstanceOf(UndecodableEventError);
  });

  it('never hands a transient fault to the hook: it propagates as it is', async () => {
    const seen: UndecodableEventError[] = [];
    const hook = (f: UndecodableEventError): Promise<void> => Promise.resolve(void seen.push(f));
    const failing = (): never => {
      throw connectionReset;
    };
    await expect(collect(decodeEach(source(ref(1n)), 'decrypt', failing, hook))).rejects.toBe(connectionReset);
    expect(seen).toEqual([]);
  });
});

describe(ReaderDeadLetters.name, () => {
  it('records a data fault once per position, and tells how far a batch got', async () => {
    const store = new InMemoryEventStore();
    const letters = new ReaderDeadLetters(store, 'relay');
    await letters.isolate(ref(5n), 'publish', new Error('no topic'));
    await letters.onUndecodable(new UndecodableEventError(ref(5n), 'publish', 'again'));
    await letters.onUndecodable(new UndecodableEventError(ref(7n), 'decode', 'metadata names no force'));
    expect(letters.reached(6n)).toBe(7n);
    expect(letters.reached(6n)).toBe(6n);
    expect(letters.reached(undefined)).toBeUndefined();
    expect(await letters.count()).toBe(2);
    expect((await letters.list()).map((l) => [l.position, l.reason])).toEqual([
      [5n, 'no topic'],
      [7n, 'metadata names no force'],
    ]);
  });

  it('rethrows a transient fault and records nothing', async () => {
    const store = new InMemoryEventStore();
    const letters = new ReaderDeadLetters(store, 'relay');
    await expect(letters.isolate(ref(5n), 'apply', connectionReset)).rejects.toBe(connectionReset);
    expect(await letters.count()).toBe(0);
    expect(letters.reached(undefined)).toBeUndefined();
  });
});
