import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { assertIdentifier, TRANSACTION_BASE_SQL } from '#event-store';

export interface GarbledRow {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly streamId?: string;
  /** The `force` column (default: metadata.force, or `avon-somerset`). */
  readonly force?: string;
  readonly revision?: bigint;
}

export interface InsertedRow {
  readonly position: bigint;
  readonly eventId: string;
  readonly streamId: string;
}

/**
 * Writes a row straight into `<schema>.events`, past `append_to_stream` and every check of the write path, as an
 * operator's mistake would (the append-only trigger refuses UPDATE and DELETE, not INSERT). Its position is the
 * inserting transaction's, as an append's would be, so readers meet it in log order.
 */
export async function insertGarbledEvent(db: pg.ClientBase | pg.Pool, schema: string, row: GarbledRow): Promise<InsertedRow> {
  const eventId = randomUUID();
  const streamId = row.streamId ?? `garbled-${eventId}`;
  const metadataForce = (row.metadata as { force?: unknown } | null)?.force;
  const force = row.force ?? (typeof metadataForce === 'string' ? metadataForce : 'avon-somerset');
  const { rows } = await db.query<{ position: string }>(
    `INSERT INTO ${assertIdentifier(schema)}.events (position, event_id, stream_id, revision, type, force, data, metadata)
     VALUES (${TRANSACTION_BASE_SQL}, $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING position`,
    [eventId, streamId, (row.revision ?? 0n).toString(), row.type, force, rawJson(row.data), rawJson(row.metadata)],
  );
  return { position: BigInt(rows[0]!.position), eventId, streamId };
}

/** A value as JSON text; a string given as `{ raw: '...' }` is passed as it is (e.g. a number JSON cannot hold). */
function rawJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'raw' in value && typeof value.raw === 'string') return value.raw;
  return JSON.stringify(value);
}
