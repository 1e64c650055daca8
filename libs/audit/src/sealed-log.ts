import type pg from 'pg';
import { READ_HORIZON_SQL, recordedEventFromRow, type EventRow } from '#event-store';
import { canonicalEvent } from './canonical.js';
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
  inconsistencyOf: (row) => (row.force === row.metadata.force ? undefined : `force column ${row.force} differs from its sealed metadata`),
};

/** One row of a log as the sealer chains it. */
export interface SealableRecord {
  readonly position: bigint;
  readonly id: string;
  readonly canonical: string;
}

/**
 * Committed records after `after`, in position order, only below the read horizon (ADR 0003): a record that
 * commits late can never land below a position already sealed.
 */
export async function* readCommitted<Row extends SealedRow>(client: pg.ClientBase, schema: string, log: SealedLog<Row>, after: bigint, batchSize: number): AsyncIterable<SealableRecord> {
  let position = after;
  for (;;) {
    const { rows } = await client.query<Row>(
      `SELECT ${log.columns} FROM ${schema}.${log.table}
       WHERE position > $1 AND position < ${READ_HORIZON_SQL}
       ORDER BY position LIMIT $2`,
      [position.toString(), batchSize],
    );
    for (const row of rows) yield { position: BigInt(row.position), id: log.idOf(row), canonical: log.canonicalOf(row) };
    if (rows.length < batchSize) return;
    position = BigInt(rows[rows.length - 1]!.position);
  }
}
