import { isEncryptedToken, readPointer, writePointer, type NewEvent, type RecordedEvent } from '#contracts';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../event-store.port.js';
import { catchUpSubscription } from '../subscription.js';
import { decodeEach, type OnUndecodable } from '../undecodable-events.js';
import { decryptField, encryptField } from './field-cipher.js';
import { SubjectErasedError, type SubjectKey, type SubjectKeyStore } from './subject-key-store.port.js';

/** What the catalogue says about personal data (passed in, as `withValidation` takes the catalogue's check). */
export interface PersonalDataPolicy {
  /** JSON pointers of the type's personal fields. */
  personalFieldsOf(type: string): readonly string[];
  /** What an erased field reads as (keeps the field's JSON type). */
  erasedValueFor(type: string, pointer: string): unknown;
}

/** A stored token whose subject has neither a key nor a tombstone: the key store lost a key. Never expected. */
export class SubjectKeyMissingError extends Error {
  override readonly name = 'SubjectKeyMissingError';
  constructor(readonly subjectId: string) {
    super(`no key and no erasure recorded for subject ${subjectId}: its encrypted fields cannot be read`);
  }
}

/** The data subject (and key id) of an event: the aggregate its stream is about (ADR 0011). */
export const subjectOf = (event: { readonly streamId: string }): string => event.streamId;

const valueAt = (data: unknown, pointer: string): unknown => {
  const found = readPointer(data, pointer);
  return found.found ? found.value : undefined;
};

/**
 * A personal field holding data to encrypt: any value but absent or null. Never judged by how it looks: what an
 * append receives is always clear (commands, and processes that copy fields read them decrypted), so a text that
 * starts like a token (`nom-enc:v1:...`) is a value the officer typed, and is encrypted like any other (issue 11;
 * docs/security.md, "Poison input").
 */
const isClear = (data: unknown, pointer: string): boolean => {
  const value = valueAt(data, pointer);
  return value !== null && value !== undefined;
};

async function encryptAppend(
  keys: SubjectKeyStore,
  policy: PersonalDataPolicy,
  streamId: string,
  events: readonly NewEvent[],
): Promise<readonly NewEvent[]> {
  const personal = (event: NewEvent): readonly string[] =>
    policy.personalFieldsOf(event.type).filter((pointer) => isClear(event.data, pointer));
  if (!events.some((event) => personal(event).length > 0)) return events;
  const key = (await keys.keysForWriting([streamId])).get(streamId);
  if (!key || key.state === 'erased') throw new SubjectErasedError(streamId);
  return events.map((event) => {
    let data = event.data;
    for (const pointer of personal(event)) {
      data = writePointer(data, pointer, encryptField(key.key, event.id, pointer, valueAt(data, pointer)));
    }
    return data === event.data ? event : { ...event, data };
  });
}

function decryptEvent(event: RecordedEvent, key: SubjectKey | undefined, policy: PersonalDataPolicy): RecordedEvent {
  let data = event.data;
  for (const pointer of policy.personalFieldsOf(event.type)) {
    const token = valueAt(data, pointer);
    if (!isEncryptedToken(token)) continue;
    if (!key) throw new SubjectKeyMissingError(subjectOf(event));
    const clear = key.state === 'erased' ? policy.erasedValueFor(event.type, pointer) : decryptField(key.key, event.id, pointer, token);
    data = writePointer(data, pointer, clear);
  }
  return data === event.data ? event : { ...event, data };
}

const needsKey = (event: RecordedEvent, policy: PersonalDataPolicy): boolean =>
  policy.personalFieldsOf(event.type).some((pointer) => isEncryptedToken(valueAt(event.data, pointer)));

// eslint-disable-next-line @typescript-eslint/require-await -- an async source over a chunk already in memory
async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/**
 * Reads `events` in chunks of `chunk`, fetching the keys of each chunk's subjects in ONE key-store call, then
 * yields the chunk decrypted. Keys are never kept beyond their chunk.
 */
async function* decryptInChunks(
  events: AsyncIterable<RecordedEvent>,
  chunk: number,
  keys: SubjectKeyStore,
  policy: PersonalDataPolicy,
  onUndecodable: OnUndecodable | undefined,
): AsyncGenerator<RecordedEvent> {
  let buffer: RecordedEvent[] = [];
  const flush = async function* (): AsyncGenerator<RecordedEvent> {
    // The key store's own failure (unreachable, no KEK) is never an event's fault: it propagates.
    const subjects = [...new Set(buffer.filter((e) => needsKey(e, policy)).map(subjectOf))];
    const found = subjects.length === 0 ? new Map<string, SubjectKey>() : await keys.keysForReading(subjects);
    const batch = buffer;
    buffer = [];
    // A token that does not decrypt, or a subject with neither key nor erasure: that event alone is dead-lettered.
    yield* decodeEach(toAsync(batch), 'decrypt', (event) => decryptEvent(event, found.get(subjectOf(event)), policy), onUndecodable);
  };
  for await (const event of events) {
    buffer.push(event);
    if (buffer.length >= chunk) yield* flush();
  }
  if (buffer.length > 0) yield* flush();
}

/**
 * Decorates any adapter so that personal fields (the catalogue's `personalFields`) are stored encrypted, per
 * data subject, and read back in clear, or as the erased marker once the subject's key is destroyed (ADR 0011).
 * Put it innermost: `withUpcasting(withValidation(withEncryption(raw, ...), ...), ...)` validates the clear
 * event, then encrypts; reads decrypt (AAD: the stored event id and field), then upcast.
 * Processes that must see only ciphertext (the relay, the audit sealer) read the undecorated adapter.
 */
export function withEncryption<T extends EventStore>(store: T, keys: SubjectKeyStore, policy: PersonalDataPolicy): T {
  const readAll = (options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> =>
    decryptInChunks(store.readAll(options), options.batchSize ?? 1000, keys, policy, options.onUndecodable);
  const overrides: Partial<Record<PropertyKey, unknown>> = {
    append: async (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> =>
      store.append(streamId, await encryptAppend(keys, policy, streamId, events), expected),
    // A stream is one subject: one key lookup per 1000 events.
    readStream: (streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> =>
      decryptInChunks(store.readStream(streamId, options), 1000, keys, policy, options?.onUndecodable),
    readAll,
    subscribeToAll: (options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> => catchUpSubscription(readAll, options),
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
