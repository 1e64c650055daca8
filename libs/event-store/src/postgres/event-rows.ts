import type { EventMetadata, RecordedEvent } from '#contracts';

/** A row of `<schema>.events` as node-postgres returns it (bigint columns as decimal strings). */
export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** A string: the query formatted the time itself (e.g. a research export's UTC date), taken as it is. */
  recorded_at: Date | string;
}

/**
 * The recorded time as `Date.prototype.toISOString` writes it (UTC, milliseconds truncated as a Date truncates), made
 * by the server: parsing the timestamp into a Date and writing it out again was a twentieth of a rebuild's CPU.
 */
export const RECORDED_AT_ISO_SQL = `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The one mapping from a stored row to a recorded event: readers and the audit verifier share it. */
export function recordedEventFromRow(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: typeof row.recorded_at === 'string' ? row.recorded_at : row.recorded_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}
