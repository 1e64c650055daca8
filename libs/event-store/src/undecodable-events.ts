import { isTransientError } from './transient-errors.js';

/** Where a reader failed on an event: the store's read path (decode, decrypt, upcast) or the reader's own work. */
export type UndecodableStage = 'decode' | 'decrypt' | 'upcast' | 'apply' | 'publish' | 'seal';

/** What is known of a stored event even when it cannot be read: its place in the log and its raw type. */
export interface StoredEventRef {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  /** The event id as stored (`id` of a recorded event). */
  readonly id: string;
  readonly type: string;
}

/**
 * An event a reader cannot take (a fault of the data, never of the infrastructure): it cannot be decoded,
 * decrypted or upcast by the store's read path, or the reader cannot apply or publish it. Carries the event's
 * place in the log, so a reader can record it as a dead letter and carry on past it (docs/security.md,
 * "Poison input").
 */
export class UndecodableEventError extends Error {
  override readonly name = 'UndecodableEventError';
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;

  constructor(
    event: StoredEventRef,
    readonly stage: UndecodableStage,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    const where = `${event.position.toString()} (${event.streamId}@${event.revision.toString()}, ${event.type})`;
    super(`event ${event.id} at position ${where}: ${stage}: ${reason}`, options);
    this.position = event.position;
    this.streamId = event.streamId;
    this.revision = event.revision;
    this.eventId = event.id;
    this.type = event.type;
  }
}

/**
 * A reader's hook for events it cannot take: it records the dead letter (durably) and the read carries on past
 * the event. Without it, the read path throws UndecodableEventError.
 */
export type OnUndecodable = (failure: UndecodableEventError) => Promise<void>;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The failure of `event` at `stage`, as an UndecodableEventError; a transient fault (database, broker or key
 * store away) is returned as it is: it is never an event's fault, and is never dead-lettered.
 */
export function asUndecodable(event: StoredEventRef, stage: UndecodableStage, error: unknown): unknown {
  if (error instanceof UndecodableEventError || isTransientError(error)) return error;
  return new UndecodableEventError(event, stage, messageOf(error), { cause: error });
}

/**
 * Maps every event of `source` through `decode`. An event whose decoding fails for a fault of the data goes to
 * `onUndecodable` (awaited: the dead letter is written before the read moves on) and is skipped; without a hook it
 * throws UndecodableEventError. A transient fault always propagates.
 */
export async function* decodeEach<In extends StoredEventRef, Out>(
  source: AsyncIterable<In>,
  stage: UndecodableStage,
  decode: (event: In) => Out,
  onUndecodable: OnUndecodable | undefined,
): AsyncGenerator<Out> {
  for await (const event of source) {
    let decoded: Out;
    try {
      decoded = decode(event);
    } catch (error) {
      const failure = asUndecodable(event, stage, error);
      if (!(failure instanceof UndecodableEventError) || !onUndecodable) throw failure;
      await onUndecodable(failure);
      continue;
    }
    yield decoded;
  }
}
