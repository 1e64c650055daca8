import pg from 'pg';
import { activeTraceFields, inSpan, type NewEvent, type RecordedEvent } from '#contracts';
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamMetadata,
  type SubscribeOptions,
} from '../event-store.port.js';
import type { CheckpointStore } from '../checkpoint-store.port.js';
import { StreamForceMismatchError } from '../errors.js';
import { catchUpSubscription } from '../subscription.js';
import type { DeadLetterStore, ReaderDeadLetter } from '../dead-letters.js';
import { PostgresReaderDeadLetters } from './reader-dead-letters.js';
import { UndecodableEventError, type OnUndecodable } from '../undecodable-events.js';
import { AppendAnnouncer } from './append-listener.js';
import { appendChannel, EVENT_STORE_MIGRATIONS } from './migrations.js';
import { migrateSchema } from './schema-migrations.js';
import { assertIdentifier } from './identifiers.js';
import { tolerateDisconnects } from './pool.js';
import { prepared } from './prepared.js';
import { lastRows, readLogSql } from './positions.js';
import { RECORDED_AT_ISO_SQL, recordedEventFromRow, type EventRow } from './event-rows.js';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the log; tests use a unique one each. */
  readonly schema?: string;
  readonly poolSize?: number;
}

const COLUMNS = `position, event_id, stream_id, revision, type, data, metadata, ${RECORDED_AT_ISO_SQL} AS recorded_at`;

/**
 * A stored row as a recorded event, checked for the envelope every reader relies on (metadata an object naming
 * its force), or the failure: a row written past `append_to_stream` (an operator's INSERT) may lack it. Synchronous,
 * so that the readers' hot loop awaits only for the rare row that fails (see `passUndecodable`).
 */
function decodeRow(row: EventRow): RecordedEvent | UndecodableEventError {
  const event = recordedEventFromRow(row);
  const metadata: unknown = event.metadata;
  const reason =
    metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)
      ? 'metadata is not a JSON object'
      : typeof (metadata as { force?: unknown }).force !== 'string'
        ? 'metadata names no force'
        : undefined;
  return reason === undefined ? event : new UndecodableEventError(event, 'decode', reason);
}

/** Throws the failure, or hands it to `onUndecodable` (the row is then skipped). */
async function passUndecodable(failure: UndecodableEventError, onUndecodable: OnUndecodable | undefined): Promise<void> {
  if (!onUndecodable) throw failure;
  await onUndecodable(failure);
}

function expectedParams(expected: ExpectedRevision): [string, string | null] {
  return typeof expected === 'bigint' ? ['exact', expected.toString()] : [expected, null];
}

/** PostgreSQL adapter of the event store port. */
export class PostgresEventStore implements EventStore, CheckpointStore, DeadLetterStore {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly deadLetters: PostgresReaderDeadLetters;
  private readonly announcer: AppendAnnouncer;

  private constructor(private readonly options: PostgresEventStoreOptions) {
    this.schema = assertIdentifier(options.schema ?? 'nom_event_store');
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // An idle connection the server ends (restart, shutdown) must not crash the process; the next query reconnects.
    tolerateDisconnects(this.pool);
    this.deadLetters = new PostgresReaderDeadLetters(this.pool, this.schema);
    this.announcer = new AppendAnnouncer(this.pool, appendChannel(this.schema));
  }

  /** Runs the schema migrations, then opens the pool. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    await migrateSchema(options.connectionString, store.schema, EVENT_STORE_MIGRATIONS);
    return store;
  }

  /** Appends in an `event-store append` span whose context each event's metadata carries (ADR 0039; nothing when tracing is off). */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    const attributes = { 'nom.stream_id': streamId, 'nom.force': events[0]!.metadata.force, 'nom.event_count': events.length };
    return inSpan('event-store append', attributes, () => {
      const trace = activeTraceFields();
      const traced = trace.traceparent === undefined ? events : events.map((e) => ({ ...e, metadata: { ...e.metadata, ...trace } }));
      return this.appendTraced(streamId, traced, expected);
    });
  }

  private async appendTraced(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const force = events[0]!.metadata.force;
    if (events.some((e) => e.metadata.force !== force)) throw new Error('one append belongs to one force');
    const [kind, exact] = expectedParams(expected);
    let result: pg.QueryResult<{ outcome: string; stream_revision: string; last_position: string | null }>;
    try {
      result = await this.pool.query(
        prepared(`SELECT outcome, stream_revision, last_position FROM ${this.schema}.append_to_stream($1, $2, $3, $4, $5, $6, $7, $8)`, [
          streamId,
          force,
          kind,
          exact,
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
        ]),
      );
    } catch (error) {
      // An event id already stored (the fast paths leave the check to the unique index): a retry of events
      // this stream already holds is idempotent; anything else is a conflict.
      if ((error as { constraint?: string }).constraint === 'events_event_id_key') {
        return this.alreadyStored(streamId, events);
      }
      throw error;
    }
    const row = result.rows[0]!;
    const current = BigInt(row.stream_revision);
    const actual = current < 0n ? undefined : current;
    if (row.outcome === 'ok') this.announcer.announce();
    switch (row.outcome) {
      case 'ok':
      case 'idempotent':
        return {
          nextExpectedRevision: current,
          position: BigInt(row.last_position!),
          idempotentReplay: row.outcome === 'idempotent',
        };
      case 'conflict':
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      case 'id-conflict':
        throw new EventIdConflictError(
          streamId,
          events.map((e) => e.id),
        );
      case 'force-mismatch':
        throw new StreamForceMismatchError(streamId, force);
      default:
        throw new Error(`unexpected append outcome ${row.outcome}`);
    }
  }

  private async alreadyStored(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    const ids = events.map((e) => e.id);
    const { rows } = await this.pool.query<{ same: string; total: string; position: string | null; revision: string | null }>(
      `SELECT count(*) FILTER (WHERE e.stream_id = $1) AS same, count(*) AS total, max(e.position) AS position,
              (SELECT revision FROM ${this.schema}.streams WHERE stream_id = $1) AS revision
       FROM ${this.schema}.events e WHERE e.event_id = ANY ($2::uuid[])`,
      [streamId, ids],
    );
    const row = rows[0]!;
    if (Number(row.same) !== ids.length || Number(row.total) !== ids.length) throw new EventIdConflictError(streamId, ids);
    return { nextExpectedRevision: BigInt(row.revision!), position: BigInt(row.position!), idempotentReplay: true };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const batch = Math.min(limit, 1000);
    let cursor: bigint | undefined = options.fromRevision;
    let emitted = 0;
    while (emitted < limit) {
      // Planned for each read, not prepared (ADR 0047): a generic plan made while the log is small would keep a scan
      // of the whole table for the connection's life.
      const bound = cursor === undefined ? '' : backwards ? 'AND revision <= $2' : 'AND revision >= $2';
      const params: unknown[] = [streamId];
      if (cursor !== undefined) params.push(cursor.toString());
      const { rows } = await this.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.schema}.events WHERE stream_id = $1 ${bound}
         ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ${Math.min(batch, limit - emitted)}`,
        params,
      );
      for (const row of rows) {
        const event = decodeRow(row);
        if (event instanceof UndecodableEventError) await passUndecodable(event, options.onUndecodable);
        else yield event;
      }
      emitted += rows.length;
      if (rows.length < batch) return;
      const last = BigInt(rows[rows.length - 1]!.revision);
      cursor = backwards ? last - 1n : last + 1n;
      if (cursor < 0n) return;
    }
  }

  async headPosition(force?: string): Promise<bigint> {
    const { rows } =
      force === undefined
        ? await this.pool.query<{ head: string | null }>(`SELECT max(position) AS head FROM ${this.schema}.events`)
        : await this.pool.query<{ head: string | null }>(`SELECT max(position) AS head FROM ${this.schema}.events WHERE force = $1`, [
            force,
          ]);
    return BigInt(rows[0]?.head ?? 0);
  }

  async countEvents(options: { readonly force: string; readonly afterPosition?: bigint }): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schema}.events WHERE force = $1 AND position > $2`,
      [options.force, (options.afterPosition ?? 0n).toString()],
    );
    return Number(rows[0]!.n);
  }

  async streamForce(streamId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ force: string }>(
      `SELECT force FROM ${this.schema}.streams WHERE stream_id = $1 AND revision >= 0`,
      [streamId],
    );
    return rows[0]?.force;
  }

  async streamRevision(streamId: string): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ revision: string }>(`SELECT revision FROM ${this.schema}.streams WHERE stream_id = $1`, [
      streamId,
    ]);
    const revision = rows[0] ? BigInt(rows[0].revision) : -1n;
    return revision < 0n ? undefined : revision;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const batchSize = options.batchSize ?? 1000;
    const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let position = options.fromPosition ?? 0n;
    let emitted = 0;
    while (emitted < limit) {
      const take = Math.min(batchSize, limit - emitted);
      const rows = lastRows<EventRow>(
        await this.pool.query<EventRow>(readLogSql(this.schema, COLUMNS, { after: position, take, force: options.force })),
      );
      for (const row of rows) {
        const event = decodeRow(row);
        if (event instanceof UndecodableEventError) await passUndecodable(event, options.onUndecodable);
        else yield event;
      }
      emitted += rows.length;
      if (rows.length < take) return;
      position = BigInt(rows[rows.length - 1]!.position);
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    return catchUpSubscription((o) => this.readAll(o), options);
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    const { rowCount } = await this.pool.query(`UPDATE ${this.schema}.streams SET metadata = $2, updated_at = now() WHERE stream_id = $1`, [
      streamId,
      JSON.stringify(metadata),
    ]);
    if (rowCount === 0) throw new Error(`stream ${streamId} does not exist`);
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | undefined> {
    const { rows } = await this.pool.query<{ metadata: StreamMetadata | null }>(
      `SELECT metadata FROM ${this.schema}.streams WHERE stream_id = $1`,
      [streamId],
    );
    return rows[0]?.metadata ?? undefined;
  }

  /** Durable checkpoint of a named reader (the relay), kept beside the log it reads. */
  async loadCheckpoint(name: string): Promise<bigint> {
    const { rows } = await this.pool.query<{ position: string }>(
      prepared(`SELECT position FROM ${this.schema}.checkpoints WHERE name = $1`, [name]),
    );
    return rows[0] ? BigInt(rows[0].position) : 0n;
  }

  async saveCheckpoint(name: string, position: bigint): Promise<void> {
    await this.pool.query(
      prepared(
        `INSERT INTO ${this.schema}.checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST(checkpoints.position, EXCLUDED.position), updated_at = now()`,
        [name, position.toString()],
      ),
    );
  }

  /** A reader's dead letter, kept beside the log (the first record of an event stays). */
  recordDeadLetter(reader: string, failure: UndecodableEventError): Promise<void> {
    return this.deadLetters.recordDeadLetter(reader, failure);
  }

  deadLetterCount(reader: string): Promise<number> {
    return this.deadLetters.deadLetterCount(reader);
  }

  deadLetterCounts(): Promise<ReadonlyMap<string, number>> {
    return this.deadLetters.deadLetterCounts();
  }

  listDeadLetters(reader: string, options?: { readonly limit?: number }): Promise<ReaderDeadLetter[]> {
    return this.deadLetters.listDeadLetters(reader, options);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
