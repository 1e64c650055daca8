import type { KafkaRecord } from '#contracts';
import { InMemoryEventStore } from '#event-store';
import { anEvent } from '#testing';
import { Relay, type MessageBus } from '../src/index.js';

/** A bus that keeps what it is given, and fails the publish numbered `failAt` (1-based) once. */
class RecordingBus implements MessageBus {
  readonly published: string[] = [];
  publishes = 0;
  constructor(private failAt?: number) {}
  ensureTopics(): Promise<void> {
    return Promise.resolve();
  }
  publish(batch: readonly { topic: string; records: readonly KafkaRecord[] }[]): Promise<void> {
    this.publishes += 1;
    if (this.publishes === this.failAt) {
      this.failAt = undefined;
      return Promise.reject(new Error('broker away'));
    }
    for (const { records } of batch) for (const r of records) this.published.push(String(r.headers['ce_nomposition']));
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

describe('relay: the next batch is read while one is published (issue 14)', () => {
  it('publishes every batch in log order and checkpoints after each, up to the batch that was not full', async () => {
    const store = await logOf(25);
    const bus = new RecordingBus();
    const checkpoints: bigint[] = [];
    const relay = new Relay(store, bus, { batchSize: 10, onBatch: (_n, position) => checkpoints.push(position) });
    expect(await relay.relayBatches()).toBe(25);
    expect(bus.published).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    expect(checkpoints).toEqual([10n, 20n, 25n]);
    expect(await store.loadCheckpoint('relay')).toBe(25n);
    expect(await relay.relayBatches()).toBe(0);
  });

  it('moves the checkpoint only past what the broker acknowledged: a batch read ahead of a failed publish is read again', async () => {
    const store = await logOf(30);
    const bus = new RecordingBus(2);
    const relay = new Relay(store, bus, { batchSize: 10 });
    await expect(relay.relayBatches()).rejects.toThrow('broker away');
    // The first batch went; the second failed; the third, read ahead meanwhile, was not published.
    expect(bus.published).toHaveLength(10);
    expect(await store.loadCheckpoint('relay')).toBe(10n);
    expect(await relay.relayBatches()).toBe(20);
    expect(bus.published).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(await store.loadCheckpoint('relay')).toBe(30n);
  });

  it('relays at most the batches it is asked for', async () => {
    const store = await logOf(35);
    const bus = new RecordingBus();
    const relay = new Relay(store, bus, { batchSize: 10 });
    expect(await relay.relayBatches(2)).toBe(20);
    expect(await relay.relayOnce()).toBe(10);
    expect(await store.loadCheckpoint('relay')).toBe(30n);
  });

  it('reads the next batch before the broker has acknowledged the one before', async () => {
    const store = await logOf(20);
    const steps: string[] = [];
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      steps.push(`read after ${String(options?.fromPosition ?? 0n)}`);
      return readAll(options);
    };
    const bus = new RecordingBus();
    const publish = bus.publish.bind(bus);
    bus.publish = async (batch) => {
      steps.push('publish sent');
      // The broker's round trip: long enough for the read of the next batch to run meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await publish(batch);
      steps.push('publish acknowledged');
    };
    const relay = new Relay(store, bus, { batchSize: 10, readAhead: 1 });
    expect(await relay.relayBatches()).toBe(20);
    expect(steps.slice(0, 4)).toEqual(['read after 0', 'read after 10', 'publish sent', 'publish acknowledged']);
  });

  it('reads up to two batches ahead of the one published, one read at a time', async () => {
    const store = await logOf(50);
    const reads: string[] = [];
    let running = 0;
    let overlapping = 0;
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      reads.push(String(options?.fromPosition ?? 0n));
      const source = readAll(options);
      return (async function* () {
        running += 1;
        if (running > 1) overlapping += 1;
        try {
          yield* source;
        } finally {
          running -= 1;
        }
      })();
    };
    const bus = new RecordingBus();
    let acknowledge!: () => void;
    const publish = bus.publish.bind(bus);
    bus.publish = async (batch) => {
      await new Promise<void>((resolve) => (acknowledge = resolve));
      await publish(batch);
    };
    const relay = new Relay(store, bus, { batchSize: 10 });
    const relaying = relay.relayBatches();
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    };
    await settle();
    // The first batch is being published; the two after it are read, and no more.
    expect(reads).toEqual(['0', '10', '20']);
    acknowledge();
    await settle();
    expect(reads).toEqual(['0', '10', '20', '30']);
    for (let i = 0; i < 4; i++) {
      acknowledge();
      await settle();
    }
    expect(await relaying).toBe(50);
    expect(bus.published).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
    expect(overlapping).toBe(0);
  });
});
