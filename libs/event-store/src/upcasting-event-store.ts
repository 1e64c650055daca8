import type { RecordedEvent } from '#contracts';
import type { EventStore } from './event-store.port.js';

type Reader = (...args: unknown[]) => AsyncIterable<RecordedEvent>;

async function* upcastEach(events: AsyncIterable<RecordedEvent>, upcast: (event: RecordedEvent) => RecordedEvent): AsyncGenerator<RecordedEvent> {
  for await (const event of events) yield upcast(event);
}

const READERS: ReadonlySet<PropertyKey> = new Set(['readStream', 'readAll', 'subscribeToAll']);

/**
 * Decorates any adapter so that every event it returns (readStream, readAll, subscribeToAll) is upcast to its
 * current version: deciders, the relay and projections never see a superseded version. Appends are untouched
 * (new events are written in the current version; old ones stay as stored).
 */
export function withUpcasting<T extends EventStore>(store: T, upcast: (event: RecordedEvent) => RecordedEvent): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (READERS.has(property)) {
        const read = (Reflect.get(target, property, receiver) as Reader).bind(target);
        return (...args: unknown[]): AsyncIterable<RecordedEvent> => upcastEach(read(...args), upcast);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
