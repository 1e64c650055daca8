// An example force integration consumer of the NOM backbone, written with a plain Kafka client (kafkajs) and
// node's standard library only: nothing from the backbone's own code. See README.md here and docs/integrators.md.
//
// It reads the force's topic from the first offset, decodes the CloudEvents binary-mode headers, keeps its own copy
// in a local store (a JSON file here; a table in a real system), drops duplicates on (stream id, revision), raises an
// alarm when a stream's revisions skip one (a missing event), and deletes its copy of a subject's data when the
// backbone announces the subject's erasure.
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS: under Node's ESM loader its named exports come from the default export.
const { Kafka, logLevel } = kafkajs;

export const SUBJECT_ERASED = 'uk.police.nom.privacy.subject-erased.v1';

/** One event as the backbone publishes it (CloudEvents binary mode: attributes in `ce_*` headers, data in the value). */
export interface ForceEvent {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  /** The stream id (also the record key and the key id of the stream's personal fields). */
  readonly streamId: string;
  /** 0 for a stream's first event, then +1 per event, with no gap. */
  readonly revision: number;
  /** The event's global position in the backbone's log (decimal string: it can exceed 2^53). */
  readonly position: string;
  readonly time: string;
  readonly force: string;
  readonly data: unknown;
}

export class UndecodableRecordError extends Error {
  override readonly name = 'UndecodableRecordError';
}

type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

function header(headers: Headers | undefined, name: string): string {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) throw new UndecodableRecordError(`header ${name} is missing`);
  return value.toString();
}

/** Decodes a record of a force topic; throws UndecodableRecordError for anything that is not a NOM CloudEvent. */
export function decodeRecord(message: { value: Buffer | null; headers?: Headers }): ForceEvent {
  if (header(message.headers, 'ce_specversion') !== '1.0') throw new UndecodableRecordError('ce_specversion is not 1.0');
  if (message.value === null) throw new UndecodableRecordError('the record has no value');
  const revision = Number(header(message.headers, 'ce_nomstreamrevision'));
  if (!Number.isSafeInteger(revision) || revision < 0) throw new UndecodableRecordError('ce_nomstreamrevision is not a revision');
  const position = header(message.headers, 'ce_nomposition');
  if (!/^[0-9]+$/.test(position)) throw new UndecodableRecordError('ce_nomposition is not a position');
  return {
    id: header(message.headers, 'ce_id'),
    type: header(message.headers, 'ce_type'),
    source: header(message.headers, 'ce_source'),
    streamId: header(message.headers, 'ce_subject'),
    revision,
    position,
    time: header(message.headers, 'ce_time'),
    force: header(message.headers, 'ce_nomforce'),
    data: JSON.parse(message.value.toString('utf8')) as unknown,
  };
}

/** What the consumer keeps of an event. `data` is null once the subject of its stream has been erased. */
export interface StoredEvent extends ForceEvent {
  readonly erased?: true;
}

interface StoreState {
  /** stream id -> last revision stored */
  streams: Record<string, number>;
  events: Record<string, StoredEvent>;
  erasedKeys: string[];
}

/**
 * The consumer's own store: its copy of the events, the last revision of each stream (for dedup and gap checks)
 * and the erased key ids. Kept in one JSON file written atomically (write + rename) after each batch and before
 * the batch's offsets are committed, so a crash can redeliver events but never lose one. `file` undefined: memory.
 */
export class LocalStore {
  private state: StoreState = { streams: {}, events: {}, erasedKeys: [] };

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) this.state = JSON.parse(readFileSync(file, 'utf8')) as StoreState;
  }

  isEmpty(): boolean {
    return Object.keys(this.state.streams).length === 0;
  }

  lastRevision(streamId: string): number | undefined {
    return this.state.streams[streamId];
  }

  has(eventId: string): boolean {
    return eventId in this.state.events;
  }

  put(event: ForceEvent): void {
    const erased = this.state.erasedKeys.includes(event.streamId);
    this.state.events[event.id] = erased ? { ...event, data: null, erased: true } : event;
    this.state.streams[event.streamId] = event.revision;
  }

  /** Deletes the data of every event of the given streams (key ids = stream ids); ids and revisions stay for dedup. */
  erase(keyIds: readonly string[]): void {
    for (const keyId of keyIds) if (!this.state.erasedKeys.includes(keyId)) this.state.erasedKeys.push(keyId);
    for (const [id, event] of Object.entries(this.state.events)) {
      if (keyIds.includes(event.streamId)) this.state.events[id] = { ...event, data: null, erased: true };
    }
  }

  events(): StoredEvent[] {
    return Object.values(this.state.events);
  }

  save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }
}

export interface Alarm {
  readonly kind: 'gap' | 'undecodable';
  readonly message: string;
  readonly streamId?: string;
  readonly expected?: number;
  readonly got?: number;
}

export type Applied = 'stored' | 'duplicate' | 'gap';

/**
 * Applies one event to the store:
 * - `duplicate`: its stream already has this revision (a redelivery after a restart or a rebalance): ignored;
 * - `gap`: the stream's previous revision is missing (an event was lost): an alarm is raised, the event is kept;
 * - `stored`: the next revision of its stream.
 * A `subject-erased` event deletes the data of the streams whose keys were destroyed.
 */
export function applyEvent(store: LocalStore, event: ForceEvent, onAlarm: (alarm: Alarm) => void = () => undefined): Applied {
  const last = store.lastRevision(event.streamId);
  if (store.has(event.id) || (last !== undefined && event.revision <= last)) return 'duplicate';
  const expected = last === undefined ? 0 : last + 1;
  let applied: Applied = 'stored';
  if (event.revision !== expected) {
    applied = 'gap';
    onAlarm({
      kind: 'gap',
      streamId: event.streamId,
      expected,
      got: event.revision,
      message: `stream ${event.streamId}: expected revision ${expected}, got ${event.revision}`,
    });
  }
  if (event.type === SUBJECT_ERASED) {
    const keys = (event.data as { keysDestroyed?: unknown }).keysDestroyed;
    if (Array.isArray(keys)) store.erase(keys.filter((k): k is string => typeof k === 'string'));
  }
  store.put(event);
  return applied;
}

export interface ConsumerOptions {
  readonly brokers: readonly string[];
  /** The force's principal, `force-<code>`. */
  readonly username: string;
  readonly password: string;
  readonly mechanism?: 'scram-sha-512' | 'scram-sha-256';
  /** true in production (SASL_SSL). */
  readonly ssl?: boolean;
  readonly force: string;
  /** Must start with `force-<code>.` (the only groups the principal may use), e.g. `force-kent.crm`. */
  readonly groupId: string;
  /** The topic prefix; `nom` in production. */
  readonly topicPrefix?: string;
  readonly store: LocalStore;
  readonly onEvent?: (event: ForceEvent, applied: Applied) => void;
  readonly onAlarm?: (alarm: Alarm) => void;
  /** Stops the consumer (it finishes the event at hand, saves the store, commits, disconnects). */
  readonly signal: AbortSignal;
}

/**
 * Consumes the force's topic until `signal` aborts. A new group starts at the earliest offset (the whole history);
 * a known group resumes after its committed offsets. When the store is empty (a new system, or one that lost its
 * database) the group is first reset to the earliest offset, so the history is replayed whatever was committed.
 */
export async function runConsumer(options: ConsumerOptions): Promise<void> {
  const topic = `${options.topicPrefix ?? 'nom'}.force.${options.force}.events`;
  const { username, password } = options;
  const kafka = new Kafka({
    clientId: options.groupId,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    sasl:
      options.mechanism === 'scram-sha-256'
        ? { mechanism: 'scram-sha-256', username, password }
        : { mechanism: 'scram-sha-512', username, password },
    ...(options.ssl ? { ssl: true } : {}),
  });
  if (options.store.isEmpty()) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.resetOffsets({ groupId: options.groupId, topic, earliest: true });
    } finally {
      await admin.disconnect();
    }
  }
  const consumer = kafka.consumer({ groupId: options.groupId });
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => void consumer.disconnect().then(resolve, resolve);
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
  if (options.signal.aborted) return stopped;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const done: string[] = [];
      for (const message of payload.batch.messages) {
        if (!payload.isRunning() || payload.isStale()) break;
        let event: ForceEvent;
        try {
          event = decodeRecord(message);
        } catch (error) {
          options.onAlarm?.({
            kind: 'undecodable',
            message: `offset ${message.offset}: ${error instanceof Error ? error.message : String(error)}`,
          });
          done.push(message.offset);
          continue;
        }
        options.onEvent?.(event, applyEvent(options.store, event, options.onAlarm));
        done.push(message.offset);
      }
      // The store first, then the offsets: a crash in between redelivers events (dropped as duplicates), never loses one.
      options.store.save();
      for (const offset of done) payload.resolveOffset(offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    },
  });
  return stopped;
}

/** The data key of a stream (key id = stream id), from `GET /forces/:force/subject-keys/:keyId` (role force-integration). */
export async function fetchSubjectKey(baseUrl: string, force: string, keyId: string, bearerToken: string): Promise<Buffer | 'erased'> {
  const res = await fetch(`${baseUrl}/forces/${encodeURIComponent(force)}/subject-keys/${encodeURIComponent(keyId)}`, {
    headers: { authorization: `Bearer ${bearerToken}` },
  });
  if (res.status === 410) return 'erased';
  if (!res.ok) throw new Error(`subject key ${keyId}: HTTP ${res.status}`);
  const body = (await res.json()) as { key: string };
  return Buffer.from(body.key, 'base64url');
}

const TOKEN_PREFIX = 'nom-enc:v1:';

/**
 * Decrypts one personal field: `token` is `nom-enc:v1:<base64url(iv 12 bytes | ciphertext | tag 16 bytes)>`,
 * AES-256-GCM under the stream's 32-byte data key, with additional authenticated data
 * `nom-enc:v1|<event id>|<JSON pointer of the field>`. Returns the field's JSON value.
 */
export function decryptPersonalField(key: Buffer, eventId: string, pointer: string, token: string): unknown {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error(`${pointer} is not an encrypted field`);
  const raw = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(`nom-enc:v1|${eventId}|${pointer}`, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const clear = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  return JSON.parse(clear.toString('utf8')) as unknown;
}
