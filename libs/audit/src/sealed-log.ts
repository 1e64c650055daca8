import type pg from 'pg';
import { READ_HORIZON_SQL, recordedEventFromRow, UndecodableEventError, type EventRow, type StoredEventRef } from '#event-store';
import { canonicalEvent, canonicalJson } from './canonical.js';
import { EVENT_LOG_CHECKPOINT, type CheckpointType } from './signing.js';

/** A stored row of a sealed log: at least its position (bigint as a decimal string). */
export interface SealedRow {
  position: string;
}

/**
 * What the sealer and the verifier need to know of one append-only, position-ordered log (ADR 0009, ADR 0012).
 * Both compute the chain from the stored rows through `canonicalOf`, so a seal depends on nothing but the row.
 * The seal tables (`log_seals`, `log_checkpoints`) live in the log's own schema.
 */
export interface SealedLog<Row extends SealedRow = SealedRow> {
  readonly name: 'event-log' | 'access-log';
  /** How findings name one record: `event-altered`, `entry-deleted`, ... */
  readonly noun: 'event' | 'entry';
  readonly checkpointType: CheckpointType;
  /** The records' table, in the log's schema, with a bigint `position` primary key. */
  readonly table: string;
  /** The column holding the record's id (kept in `log_seals.event_id`: the sealed record's id). */
  readonly idColumn: string;
  readonly columns: string;
  /** The column holding when the record was written (a stale sealed head is judged by it). */
  readonly recordedColumn: string;
  idOf(row: Row): string;
  /** Canonical JSON of the sealed view of the row. */
  canonicalOf(row: Row): string;
  /** Columns outside the sealed view that must agree with it: a description of the disagreement, if any. */
  inconsistencyOf(row: Row): string | undefined;
  /**
   * For a row whose parsed view cannot be made canonical (a number beyond a double, read back as Infinity): the
   * columns to read as text (`rawColumns`) and the canonical form built from them. Absent: such a row is refused.
   */
  readonly raw?: {
    readonly columns: string;
    canonicalOf(row: Row, text: Record<string, string>): string;
    refOf(row: Row): StoredEventRef;
  };
  /** Why a row's unsealed columns cannot be checked against its sealed view (reported, not a finding), if so. */
  uncheckableOf?(row: Row): string | undefined;
}

/** The event log: `<schema>.events`; the force column must equal the sealed `metadata.force`. */
export const EVENT_LOG: SealedLog<EventRow & { force: string }> = {
  name: 'event-log',
  noun: 'event',
  checkpointType: EVENT_LOG_CHECKPOINT,
  table: 'events',
  idColumn: 'event_id',
  columns: 'position, event_id, stream_id, revision, type, force, data, metadata, recorded_at',
  recordedColumn: 'recorded_at',
  idOf: (row) => row.event_id,
  canonicalOf: (row) => canonicalEvent(recordedEventFromRow(row)),
  inconsistencyOf: (row) =>
    !hasForce(row.metadata) || row.force === row.metadata.force ? undefined : `force column ${row.force} differs from its sealed metadata`,
  raw: {
    columns: 'data::text AS data, metadata::text AS metadata',
    // The row's JSON as PostgreSQL prints it (jsonb output is deterministic), under names no parsed view has.
    canonicalOf: (row, text) => {
      const event = recordedEventFromRow({ ...row, data: null, metadata: null as never });
      return canonicalJson({
        position: event.position.toString(),
        eventId: event.id,
        streamId: event.streamId,
        revision: event.revision.toString(),
        type: event.type,
        rawData: text['data'],
        rawMetadata: text['metadata'],
        recordedAt: event.recordedAt,
      });
    },
    refOf: (row) => ({
      position: BigInt(row.position),
      streamId: row.stream_id,
      revision: BigInt(row.revision),
      id: row.event_id,
      type: row.type,
    }),
  },
  uncheckableOf: (row) => (hasForce(row.metadata) ? undefined : 'metadata names no force: the force column cannot be checked against it'),
};

function hasForce(metadata: unknown): metadata is { force: string } {
  return metadata !== null && typeof metadata === 'object' && typeof (metadata as { force?: unknown }).force === 'string';
}

/** A row's canonical form, and why its parsed view could not be used when the raw form was (undefined: it could). */
export interface CanonicalRecord {
  readonly canonical: string;
  /** The row could not be read as it is: why, and where it is (sealed in its raw form). */
  readonly undecodable?: UndecodableEventError;
}

/**
 * The canonical form of a row: its sealed view, or, when that cannot be made canonical (a data fault of the row,
 * never of the database), the log's raw form of it, read as text. The sealer and the verifier both use it, so
 * they hash a garbled row the same way.
 */
export async function canonicalRecord<Row extends SealedRow>(
  client: pg.ClientBase,
  schema: string,
  log: SealedLog<Row>,
  row: Row,
): Promise<CanonicalRecord> {
  try {
    return { canonical: log.canonicalOf(row) };
  } catch (error) {
    if (!log.raw || !(error instanceof TypeError)) throw error;
    const sql = `SELECT ${log.raw.columns} FROM ${schema}.${log.table} WHERE position = $1`;
    const { rows } = await client.query<Record<string, string>>(sql, [row.position]);
    if (!rows[0]) throw error;
    const undecodable = new UndecodableEventError(log.raw.refOf(row), 'seal', error.message, { cause: error });
    return { canonical: log.raw.canonicalOf(row, rows[0]), undecodable };
  }
}

/** One row of a log as the sealer chains it. */
export interface SealableRecord {
  readonly position: bigint;
  readonly id: string;
  readonly canonical: string;
  /** Why the row's parsed view could not be sealed (it was sealed in its raw form): the sealer's dead letter. */
  readonly undecodable?: UndecodableEventError;
}

/**
 * Committed records after `after`, in position order, only below the read horizon (ADR 0003): a record that
 * commits late can never land below a position already sealed.
 */
export async function* readCommitted<Row extends SealedRow>(
  client: pg.ClientBase,
  schema: string,
  log: SealedLog<Row>,
  after: bigint,
  batchSize: number,
): AsyncIterable<SealableRecord> {
  let position = after;
  for (;;) {
    const { rows } = await client.query<Row>(
      `SELECT ${log.columns} FROM ${schema}.${log.table}
       WHERE position > $1 AND position < ${READ_HORIZON_SQL}
       ORDER BY position LIMIT $2`,
      [position.toString(), batchSize],
    );
    for (const row of rows) {
      yield { position: BigInt(row.position), id: log.idOf(row), ...(await canonicalRecord(client, schema, log, row)) };
    }
    if (rows.length < batchSize) return;
    position = BigInt(rows[rows.length - 1]!.position);
  }
}
