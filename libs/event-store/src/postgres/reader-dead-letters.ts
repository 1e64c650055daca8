import type pg from 'pg';
import type { DeadLetterStore, ReaderDeadLetter } from '../dead-letters.js';
import type { UndecodableEventError } from '../undecodable-events.js';
import { assertIdentifier } from './identifiers.js';

interface DeadLetterRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  stage: ReaderDeadLetter['stage'];
  reason: string;
  failed_at: Date;
}

/**
 * The readers' dead letters in `<schema>.reader_dead_letters` (the event store's migrations create it), on any
 * connection: the store's pool, or a reader's own (the sealer, the research export).
 */
export class PostgresReaderDeadLetters implements DeadLetterStore {
  private readonly schema: string;

  constructor(
    private readonly db: pg.Pool | pg.ClientBase,
    schema: string,
  ) {
    this.schema = assertIdentifier(schema);
  }

  async recordDeadLetter(reader: string, failure: UndecodableEventError): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.schema}.reader_dead_letters (reader, position, stream_id, revision, event_id, type, stage, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (reader, position) DO NOTHING`,
      [
        reader,
        failure.position.toString(),
        failure.streamId,
        failure.revision.toString(),
        failure.eventId,
        failure.type,
        failure.stage,
        failure.reason,
      ],
    );
  }

  async deadLetterCount(reader: string, upTo?: bigint): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schema}.reader_dead_letters WHERE reader = $1 AND ($2::bigint IS NULL OR position <= $2)`,
      [reader, upTo?.toString() ?? null],
    );
    return Number(rows[0]!.n);
  }

  async deadLetterCounts(): Promise<ReadonlyMap<string, number>> {
    const { rows } = await this.db.query<{ reader: string; n: string }>(
      `SELECT reader, count(*) AS n FROM ${this.schema}.reader_dead_letters GROUP BY reader ORDER BY reader`,
    );
    return new Map(rows.map((r) => [r.reader, Number(r.n)]));
  }

  async listDeadLetters(reader: string, options: { readonly limit?: number } = {}): Promise<ReaderDeadLetter[]> {
    const { rows } = await this.db.query<DeadLetterRow>(
      `SELECT position, stream_id, revision, event_id, type, stage, reason, failed_at FROM ${this.schema}.reader_dead_letters
       WHERE reader = $1 ORDER BY position LIMIT $2`,
      [reader, options.limit ?? 100],
    );
    return rows.map((r) => ({
      reader,
      position: BigInt(r.position),
      streamId: r.stream_id,
      revision: BigInt(r.revision),
      eventId: r.event_id,
      type: r.type,
      stage: r.stage,
      reason: r.reason,
      failedAt: r.failed_at.toISOString(),
    }));
  }
}
