import type { RecordedEvent } from '#contracts';
import type { EventStore, ReadAllOptions, ReadStreamOptions } from './event-store.port.js';
import { decodeEach } from './undecodable-events.js';

type Reader = (...args: unknown[]) => AsyncIterable<RecordedEvent>;

/** Which argument of each reader holds its options (and so the reader's `onUndecodable`). */
const READERS: ReadonlyMap<PropertyKey, number> = new Map([
  ['readStream', 1],
  ['readAll', 0],
  ['subscribeToAll', 0],
]);

/**
 * Decorates any adapter so that every event it returns (readStream, readAll, subscribeToAll) is upcast to its
 * current version: deciders, the relay and projections never see a superseded version. Appends are untouched
 * (new events are written in the current version; old ones stay as stored). An event an upcaster cannot take
 * (a payload that is not what its version says) goes to the reader's `onUndecodable`, or throws
 * UndecodableEventError.
 */
export function withUpcasting<T extends EventStore>(store: T, upcast: (event: RecordedEvent) => RecordedEvent): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const optionsAt = READERS.get(property);
      if (optionsAt !== undefined) {
        const read = (Reflect.get(target, property, receiver) as Reader).bind(target);
        return (...args: unknown[]): AsyncIterable<RecordedEvent> => {
          const options = args[optionsAt] as ReadAllOptions | ReadStreamOptions | undefined;
          return decodeEach(read(...args), 'upcast', upcast, options?.onUndecodable);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
