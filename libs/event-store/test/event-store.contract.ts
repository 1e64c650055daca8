import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import { anEvent, testMetadata, waitFor } from '#testing';
import { EventIdConflictError, StreamForceMismatchError, WrongExpectedRevisionError, type EventStore } from '../src/index.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * The one contract every adapter passes (DESIGN.md section 4). `open` returns a fresh, empty store.
 */
export function eventStoreContract(adapter: string, open: () => Promise<EventStore>, close: (s: EventStore) => Promise<void>): void {
  describe(`${adapter} event store contract`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });
    const stream = (): string => `case-${randomUUID()}`;

    it('appends to a new stream with no-stream and reads it back in order', async () => {
      const id = stream();
      const events = [anEvent(), anEvent(), anEvent()];
      const result = await store.append(id, events, 'no-stream');
      expect(result.nextExpectedRevision).toBe(2n);
      expect(result.idempotentReplay).toBe(false);
      const read = await collect(store.readStream(id));
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect(read[2]!.position).toBe(result.position);
      expect(read[0]!.data).toEqual(events[0]!.data);
      expect(read[0]!.metadata).toEqual(events[0]!.metadata);
      expect(Number.isNaN(Date.parse(read[0]!.recordedAt))).toBe(false);
      expect(await store.streamRevision(id)).toBe(2n);
    });

    it('refuses no-stream when the stream exists, with the actual revision', async () => {
      const id = stream();
      await store.append(id, [anEvent()], 'no-stream');
      const error = await store.append(id, [anEvent()], 'no-stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(0n);
    });

    it('appends with an exact expected revision and refuses a stale one', async () => {
      const id = stream();
      await store.append(id, [anEvent(), anEvent()], 'no-stream');
      await expect(store.append(id, [anEvent()], 1n)).resolves.toMatchObject({ nextExpectedRevision: 2n });
      const error = await store.append(id, [anEvent()], 1n).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(2n);
    });

    it('refuses an exact revision on a stream that does not exist', async () => {
      const error = await store.append(stream(), [anEvent()], 0n).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBeUndefined();
    });

    it('honours stream-exists and any', async () => {
      const id = stream();
      await expect(store.append(id, [anEvent()], 'stream-exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(id, [anEvent()], 'any');
      await store.append(id, [anEvent()], 'any');
      await expect(store.append(id, [anEvent()], 'stream-exists')).resolves.toMatchObject({ nextExpectedRevision: 2n });
    });

    it('is idempotent on event id: a retried append writes nothing twice', async () => {
      const id = stream();
      const events = [anEvent(), anEvent()];
      const first = await store.append(id, events, 'no-stream');
      const retry = await store.append(id, events, 'no-stream');
      expect(retry).toEqual({ ...first, idempotentReplay: true });
      expect(await collect(store.readStream(id))).toHaveLength(2);
    });

    it('is idempotent for a retried append with an exact expected revision', async () => {
      const id = stream();
      await store.append(id, [anEvent()], 'no-stream');
      const events = [anEvent(), anEvent()];
      const first = await store.append(id, events, 0n);
      await expect(store.append(id, events, 0n)).resolves.toEqual({ ...first, idempotentReplay: true });
      expect(await store.streamRevision(id)).toBe(2n);
    });

    it('treats a retry of events the stream already holds as idempotent, whatever revision it names', async () => {
      const id = stream();
      const events = [anEvent()];
      const first = await store.append(id, events, 'no-stream');
      await store.append(id, [anEvent()], 0n);
      await expect(store.append(id, events, 1n)).resolves.toEqual({
        nextExpectedRevision: 1n,
        position: first.position,
        idempotentReplay: true,
      });
      expect(await collect(store.readStream(id))).toHaveLength(2);
    });

    it('refuses an event id of another stream whatever the expected revision', async () => {
      const a = stream();
      const event = anEvent();
      await store.append(a, [event], 'no-stream');
      const b = stream();
      await expect(store.append(b, [event], 'no-stream')).rejects.toBeInstanceOf(EventIdConflictError);
      await store.append(b, [anEvent()], 'no-stream');
      await expect(store.append(b, [anEvent(), event], 0n)).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.streamRevision(b)).toBe(0n);
      expect(await collect(store.readStream(a))).toHaveLength(1);
    });

    it('refuses an event id already stored in another stream, or a partial overlap', async () => {
      const a = stream();
      const event = anEvent();
      await store.append(a, [event], 'no-stream');
      await expect(store.append(stream(), [event], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append(a, [event, anEvent()], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await collect(store.readStream(a))).toHaveLength(1);
    });

    it('keeps a stream to the force that created it', async () => {
      const id = stream();
      await store.append(id, [anEvent('avon-somerset')], 'no-stream');
      await expect(store.append(id, [anEvent('wiltshire')], 'any')).rejects.toBeInstanceOf(StreamForceMismatchError);
      expect(await collect(store.readStream(id))).toHaveLength(1);
    });

    it('reads a stream backwards and from a revision', async () => {
      const id = stream();
      await store.append(id, [anEvent(), anEvent(), anEvent(), anEvent()], 'no-stream');
      const back = await collect(store.readStream(id, { direction: 'backwards', maxCount: 2 }));
      expect(back.map((e) => e.revision)).toEqual([3n, 2n]);
      const from = await collect(store.readStream(id, { fromRevision: 2n }));
      expect(from.map((e) => e.revision)).toEqual([2n, 3n]);
      const backFrom = await collect(store.readStream(id, { direction: 'backwards', fromRevision: 1n }));
      expect(backFrom.map((e) => e.revision)).toEqual([1n, 0n]);
      expect(await collect(store.readStream(stream()))).toEqual([]);
    });

    it('reads the global log in batches, in strictly increasing position, from a position', async () => {
      const streams = [stream(), stream(), stream()];
      for (const id of streams) await store.append(id, [anEvent(), anEvent()], 'no-stream');
      const all = await collect(store.readAll({ batchSize: 4 }));
      expect(all).toHaveLength(6);
      for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
      const rest = await collect(store.readAll({ fromPosition: all[2]!.position, batchSize: 2 }));
      expect(rest.map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
      const few = await collect(store.readAll({ maxCount: 3 }));
      expect(few).toHaveLength(3);
    });

    it('subscribes from a checkpoint: catches up, then delivers live events', async () => {
      const id = stream();
      await store.append(id, [anEvent(), anEvent()], 'no-stream');
      const [first] = await collect(store.readAll({ maxCount: 1 }));
      const controller = new AbortController();
      const seen: RecordedEvent[] = [];
      const live = anEvent();
      const done = (async () => {
        for await (const event of store.subscribeToAll({ fromPosition: first!.position, idlePollMs: 5, signal: controller.signal })) {
          seen.push(event);
          if (seen.length === 1) await store.append(id, [live], 1n);
          if (seen.length === 2) controller.abort();
        }
      })();
      await done;
      expect(seen.map((e) => e.revision)).toEqual([1n, 2n]);
      expect(seen[1]!.id).toBe(live.id);
    });

    it('knows the position of the last committed event', async () => {
      expect(await store.headPosition()).toBe(0n);
      await store.append(stream(), [anEvent()], 'no-stream');
      const last = await store.append(stream(), [anEvent(), anEvent()], 'no-stream');
      expect(await store.headPosition()).toBe(last.position);
    });

    it("reads, counts and finds the head of one force's events", async () => {
      expect(await store.headPosition('kent')).toBe(0n);
      const a = await store.append(stream(), [anEvent('kent'), anEvent('kent')], 'no-stream');
      await store.append(stream(), [anEvent('wiltshire')], 'no-stream');
      const b = await store.append(stream(), [anEvent('kent')], 'no-stream');
      // The read horizon is cluster-wide (ADR 0003): wait until the last append is readable.
      const last = await store.append(stream(), [anEvent('wiltshire')], 'no-stream');
      await waitFor(
        'the read horizon to pass the appends',
        async () => (await collect(store.readAll({ fromPosition: last.position - 1n }))).length === 1,
      );
      const kent = await collect(store.readAll({ force: 'kent' }));
      expect(kent.map((e) => e.metadata.force)).toEqual(['kent', 'kent', 'kent']);
      expect(kent[2]!.position).toBe(b.position);
      expect(await collect(store.readAll({ force: 'kent', fromPosition: a.position, maxCount: 5 }))).toEqual([kent[2]]);
      expect(await store.headPosition('kent')).toBe(b.position);
      expect(await store.countEvents({ force: 'kent' })).toBe(3);
      expect(await store.countEvents({ force: 'kent', afterPosition: a.position })).toBe(1);
      expect(await store.countEvents({ force: 'essex' })).toBe(0);
    });

    it('tells which force owns a stream, and nothing for a stream that does not exist', async () => {
      const id = stream();
      await store.append(id, [anEvent('wiltshire')], 'no-stream');
      expect(await store.streamForce(id)).toBe('wiltshire');
      expect(await store.streamForce(stream())).toBeUndefined();
      // A stream created by a refused append (exact revision on nothing) still does not exist.
      const never = stream();
      await expect(store.append(never, [anEvent()], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.streamForce(never)).toBeUndefined();
    });

    it('keeps stream metadata', async () => {
      const id = stream();
      await store.append(id, [anEvent()], 'no-stream');
      expect(await store.getStreamMetadata(id)).toBeUndefined();
      await store.setStreamMetadata(id, { retention: 'review-2036' });
      expect(await store.getStreamMetadata(id)).toEqual({ retention: 'review-2036' });
    });

    it('stores metadata exactly as given', async () => {
      const id = stream();
      const metadata = testMetadata('wiltshire', { classification: 'OFFICIAL' });
      await store.append(id, [{ ...anEvent('wiltshire'), metadata }], 'no-stream');
      const [read] = await collect(store.readStream(id));
      expect(read!.metadata).toEqual(metadata);
    });
  });
}
