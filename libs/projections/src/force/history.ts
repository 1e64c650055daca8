import { validateEvent, type RecordedEvent } from '#contracts';
import { idle, type UndecodableEventError } from '#event-store';
import type { Build } from '../builds.js';
import type { ReadModel } from '../read-model.js';
import { deadLetterUndecodable } from './dead-letter-records.js';
import type { ForceRuntime } from './force-runtime.js';
import { applyHistory, publishedOnly, readAhead } from './hand-over.js';

/** A build a rebuild writes from the store's history, and how far it has got. */
export interface HistoryTarget {
  readonly model: ReadModel;
  readonly build: Build;
  /** Events of the history in the build (the ones an earlier, stopped run applied included). */
  events: number;
}

export interface HistoryOptions {
  readonly batchSize: number;
  readonly signal?: AbortSignal | undefined;
  /** Called after every chunk (events in the first target's build, position reached). */
  readonly onProgress?: ((events: number, position: bigint) => void) | undefined;
}

/** A chunk of history, checked once for every build: what the relay publishes, and which of it is valid. */
interface Checked {
  readonly published: readonly RecordedEvent[];
  readonly valid: ReadonlySet<RecordedEvent>;
  readonly position: bigint;
}

/** The published events of a chunk, and the valid ones among those any target takes (each event checked once). */
async function checkChunk(
  targets: readonly HistoryTarget[],
  chunk: readonly RecordedEvent[],
  refused: (failure: UndecodableEventError) => Promise<void>,
): Promise<Checked> {
  const published = await publishedOnly(chunk, refused);
  const valid = new Set<RecordedEvent>();
  for (const event of published) {
    // As the live path checks a record (ADR 0011: personal fields as stored), once whatever the number of builds.
    if (targets.some((t) => t.model.eventTypes.has(event.type)) && validateEvent(event, { personalFieldsProtected: true }).length === 0)
      valid.add(event);
  }
  return { published, valid, position: chunk[chunk.length - 1]!.position };
}

/**
 * Writes the force's history, from the store up to its head, into each target build: the log is read once, in
 * chunks, each chunk checked once (published, valid) while the one before it is written, then written into every
 * build in its own transaction with its progress (`applyHistory`). A build that an earlier run had taken further
 * takes only what it lacks. Events the store cannot read, or the relay would not publish, are dead-lettered against
 * every build that lacks them. Returns the position every build has reached.
 */
export async function writeHistory(rt: ForceRuntime, targets: readonly HistoryTarget[], options: HistoryOptions): Promise<bigint> {
  const store = rt.store!;
  let position = targets.reduce(
    (min, t) => (t.build.appliedPosition < min ? t.build.appliedPosition : min),
    targets[0]!.build.appliedPosition,
  );
  // An event of the history the store cannot read (undecodable, not upcastable) is recorded against the builds and
  // passed; the relay never published it, so the live path never took it either.
  let skippedTo = position;
  const onUndecodable = async (failure: UndecodableEventError): Promise<void> => {
    for (const t of targets)
      if (failure.position > t.build.appliedPosition)
        await deadLetterUndecodable(rt.dataSource, rt.schema, t.model.name, t.build.version, failure);
    if (failure.position > skippedTo) skippedTo = failure.position;
  };
  for (;;) {
    const head = await store.headPosition(rt.force);
    if (position >= head) break;
    const history = store.readAll({ force: rt.force, fromPosition: position, batchSize: options.batchSize, onUndecodable });
    for await (const chunk of readAhead(history, options.batchSize, (read) => checkChunk(targets, read, onUndecodable))) {
      for (const t of targets) {
        const from = t.build.appliedPosition;
        const events =
          chunk.published[0] && chunk.published[0].position > from ? chunk.published : chunk.published.filter((e) => e.position > from);
        if (events.length === 0) continue;
        const taken = events.filter((e) => t.model.eventTypes.has(e.type) && chunk.valid.has(e));
        await applyHistory(rt, t.model, t.build.version, { events, taken, position: chunk.position });
        t.events += events.length;
      }
      position = chunk.position;
      options.onProgress?.(targets[0]!.events, position);
      if (options.signal?.aborted) throw new Error('rebuild aborted');
    }
    if (skippedTo > position) position = skippedTo;
    // The read horizon may hold back events already committed (another session's open transaction).
    if (position < head) await idle(20, options.signal);
    if (options.signal?.aborted) throw new Error('rebuild aborted');
  }
  return position;
}
