import type { KafkaRecord } from '#contracts';
import { InMemoryEventStore } from '#event-store';
import { anEvent } from '#testing';
import { Relay, type MessageBus } from '../src/index.js';
import { TrailingCheckpoint } from '../src/relay-checkpoint.js';

/** A promise settled from outside: the test decides when a write or a publish ends, not the clock. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Lets every pending callback run (a few turns of the event loop). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A bus that records the first position of each publish and acknowledges at once. */
class RecordingBus implements MessageBus {
  readonly publishes: string[] = [];
  ensureTopics(): Promise<void> {
    return Promise.resolve();
  }
  publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void> {
    this.publishes.push(String(batch[0]?.records[0]?.headers['ce_nomposition']));
    return Promise.resolve();
  }
  consume(): never {
    throw new Error('not used');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function logOf(events: number): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (let i = 0; i < events; i++) {
    const event = anEvent('avon-somerset');
    await store.append(`case-${(event.data as { caseId: string }).caseId}`, [event], 'no-stream');
  }
  return store;
}

describe('TrailingCheckpoint: the checkpoint written behind the publishes (issue 14)', () => {
  it('writes one position at a time, in order, the latest acknowledged when the write before ended', async () => {
    const writes: { position: bigint; done: ReturnType<typeof deferred> }[] = [];
    const saved: bigint[] = [];
    const checkpoint = new TrailingCheckpoint(
      (position) => {
        const done = deferred();
        writes.push({ position, done });
        return done.promise;
      },
      (batch) => saved.push(batch.reached),
    );
    checkpoint.acknowledged({ reached: 10n, published: 10 });
    checkpoint.acknowledged({ reached: 20n, published: 10 });
    checkpoint.acknowledged({ reached: 30n, published: 10 });
    expect(writes.map((w) => w.position)).toEqual([10n]);
    writes[0]!.done.resolve();
    await settle();
    // The batches acknowledged during the first write share the second.
    expect(writes.map((w) => w.position)).toEqual([10n, 30n]);
    expect(saved).toEqual([10n]);
    const flushed = checkpoint.flush();
    writes[1]!.done.resolve();
    await flushed;
    expect(saved).toEqual([10n, 20n, 30n]);
  });

  it('fails its flush, and the next acknowledgement, once a write has failed; later batches are not saved past', async () => {
    const positions: bigint[] = [];
    const first = deferred();
    const checkpoint = new TrailingCheckpoint(
      (position) => {
        positions.push(position);
        return first.promise;
      },
      () => undefined,
    );
    checkpoint.acknowledged({ reached: 10n, published: 10 });
    checkpoint.acknowledged({ reached: 20n, published: 10 });
    first.reject(new Error('database away'));
    await expect(checkpoint.flush()).rejects.toThrow('database away');
    expect(() => checkpoint.acknowledged({ reached: 30n, published: 10 })).toThrow('database away');
    expect(positions).toEqual([10n]);
  });
});

describe('relay: the checkpoint is written while the next batch is published (issue 14)', () => {
  it('publishes the next batches while the checkpoint write runs, and saves past all before it returns', async () => {
    const store = await logOf(30);
    const bus = new RecordingBus();
    const writes: { position: bigint; done: ReturnType<typeof deferred> }[] = [];
    const save = store.saveCheckpoint.bind(store);
    store.saveCheckpoint = (name, position) => {
      const done = deferred();
      writes.push({ position, done });
      return done.promise.then(() => save(name, position));
    };
    const relay = new Relay(store, bus, { batchSize: 10 });
    const relaying = relay.relayBatches();
    await settle();
    // The first write still runs, and every batch has been published meanwhile.
    expect(writes.map((w) => w.position)).toEqual([10n]);
    expect(bus.publishes).toEqual(['1', '11', '21']);
    expect(await store.loadCheckpoint('relay')).toBe(0n);
    writes[0]!.done.resolve();
    await settle();
    expect(writes.map((w) => w.position)).toEqual([10n, 30n]);
    writes[1]!.done.resolve();
    expect(await relaying).toBe(30);
    expect(await store.loadCheckpoint('relay')).toBe(30n);
    expect(relay.position).toBe(30n);
    expect(relay.published).toBe(30);
  });

  it('fails when a checkpoint write fails, leaving the checkpoint where it was; the next round publishes from there', async () => {
    const store = await logOf(20);
    const bus = new RecordingBus();
    const save = store.saveCheckpoint.bind(store);
    let failNext = true;
    store.saveCheckpoint = (name, position) => {
      if (!failNext) return save(name, position);
      failNext = false;
      return Promise.reject(new Error('database away'));
    };
    const relay = new Relay(store, bus, { batchSize: 10 });
    await expect(relay.relayBatches()).rejects.toThrow('database away');
    expect(await store.loadCheckpoint('relay')).toBe(0n);
    expect(relay.position).toBe(0n);
    // Published again from the checkpoint (the Kafka bus leaves out what its topics already hold, ADR 0021).
    expect(await relay.relayBatches()).toBe(20);
    expect(bus.publishes.slice(-2)).toEqual(['1', '11']);
    expect(await store.loadCheckpoint('relay')).toBe(20n);
  });
});
