import type { NewEvent } from '#contracts';
import type { AppendResult, EventStore, ExpectedRevision } from './event-store.port.js';

/**
 * Decorates any adapter so that every append is checked against the event catalogue first: an invalid event
 * throws (e.g. the catalogue's InvalidEventError) before anything reaches the store.
 */
export function withValidation<T extends EventStore>(store: T, assertValid: (events: readonly NewEvent[]) => void): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') {
        return (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
          try {
            assertValid(events);
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
          return target.append(streamId, events, expected);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
