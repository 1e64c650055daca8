import { randomUUID } from 'node:crypto';
import type { ForceCode, NewEvent } from '#contracts';
import type { EventStore } from '#event-store';
import { log, runWorkers } from './common.js';
import { anEvent, caseStream } from './events.js';

/**
 * Seeds `count` events fast: multi-event appends (`perAppend` events each, one new stream per append), a few
 * appends in flight. Forces rotate per append. Returns the highest position written.
 */
export async function seedLog(
  store: EventStore,
  count: number,
  signal: AbortSignal,
  options: { perAppend?: number; concurrency?: number; forces?: readonly ForceCode[] } = {},
): Promise<bigint> {
  const perAppend = options.perAppend ?? 100;
  const forces = options.forces ?? ['avon-somerset'];
  const appends = Math.ceil(count / perAppend);
  let last = 0n;
  const { seconds } = await runWorkers(
    appends,
    options.concurrency ?? 4,
    async (i) => {
      const force = forces[i % forces.length]!;
      const caseId = randomUUID();
      const size = Math.min(perAppend, count - i * perAppend);
      const events: NewEvent[] = Array.from({ length: size }, () => anEvent(force, caseId));
      const result = await store.append(caseStream(caseId), events, 'no-stream');
      if (result.position > last) last = result.position;
    },
    signal,
  );
  log(`seeded ${count} events in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} events/s, ${perAppend} per append)`);
  return last;
}
