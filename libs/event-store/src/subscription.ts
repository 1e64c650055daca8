import type { RecordedEvent } from '#contracts';
import type { ReadAllOptions, SubscribeOptions } from './event-store.port.js';
import type { UndecodableEventError } from './undecodable-events.js';

/** Resolves after `ms`, or at once when the signal aborts: a wake-up timer, never a synchronisation sleep. */
export function idle(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Something that ends a reader's idle wait early when the log has grown (ADR 0028); the wait bounds it. */
export interface AppendWakeup {
  /** Resolves on an append committed since the last wait, after `ms` at the latest, or when the signal aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Catch-up subscription built on `readAll`: read batches until a batch comes back short (caught up), then poll.
 * Correctness (never skipping a late commit) is the adapter's `readAll` guarantee; this adds only the loop.
 */
export async function* catchUpSubscription(
  readAll: (options: ReadAllOptions) => AsyncIterable<RecordedEvent>,
  options: SubscribeOptions = {},
): AsyncIterable<RecordedEvent> {
  const batchSize = options.batchSize ?? 500;
  const idlePollMs = options.idlePollMs ?? 20;
  let position = options.fromPosition ?? 0n;
  const reader = options.onUndecodable;
  // A skipped (dead-lettered) event moves the subscription past it, as a yielded one does.
  const onUndecodable =
    reader &&
    (async (failure: UndecodableEventError): Promise<void> => {
      await reader(failure);
      if (failure.position > position) position = failure.position;
    });
  while (!options.signal?.aborted) {
    let seen = 0;
    const read = { fromPosition: position, batchSize, maxCount: batchSize, ...(onUndecodable ? { onUndecodable } : {}) };
    for await (const event of readAll(read)) {
      position = event.position;
      seen += 1;
      yield event;
      if (options.signal?.aborted) return;
    }
    if (seen < batchSize) await idle(idlePollMs, options.signal);
  }
}
