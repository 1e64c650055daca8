import pg from 'pg';
import { assertIdentifier } from '../postgres/identifiers.js';
import { KeyWrapperError, type KeyWrapper } from './key-wrapper.js';

export interface KekRotationOptions {
  readonly connectionString: string;
  /** The schema of the subject keys (the event store's). */
  readonly schema: string;
  /** The KEK the keys are wrapped under now. */
  readonly from: KeyWrapper;
  /** The KEK to wrap them under. */
  readonly to: KeyWrapper;
  readonly batchSize?: number;
  readonly onProgress?: (rewrapped: number) => void;
}

export interface KekRotationResult {
  readonly rewrapped: number;
  /** Keys still under another KEK afterwards (0 when the rotation is complete). */
  readonly remaining: number;
  readonly kekId: string;
}

/**
 * Rewraps every subject key under a new KEK (`nom keys rotate-kek`, issue 12). The data keys do not change, so
 * every event still decrypts; only their wrapping does. One transaction per batch, rows locked (`FOR UPDATE`), so
 * an erasure (which locks the table) waits for the batch or the batch skips the erased row; an interrupted
 * rotation is resumed by running it again (rows already under the new KEK are not selected). Erased subjects have
 * no key row, only a tombstone: there is nothing to rewrap and they stay erased. A key under a KEK that is neither
 * `from` nor `to` stops the rotation with a KeyWrapperError, and its batch is rolled back.
 */
export async function rotateKek(options: KekRotationOptions): Promise<KekRotationResult> {
  const schema = assertIdentifier(options.schema);
  if (options.from.kekId === options.to.kekId) throw new KeyWrapperError('the new KEK is the current one: nothing to rotate');
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  let rewrapped = 0;
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ subject_id: string; wrapped_key: Buffer; kek_id: string }>(
          `SELECT subject_id, wrapped_key, kek_id FROM ${schema}.subject_keys WHERE kek_id <> $1 ORDER BY subject_id LIMIT $2 FOR UPDATE`,
          [options.to.kekId, options.batchSize ?? 500],
        );
        if (rows.length === 0) {
          await client.query('COMMIT');
          break;
        }
        const ids: string[] = [];
        const wrapped: Buffer[] = [];
        for (const row of rows) {
          const key = await options.from.unwrap(row.wrapped_key, row.subject_id, row.kek_id);
          ids.push(row.subject_id);
          wrapped.push(await options.to.wrap(key, row.subject_id));
          key.fill(0);
        }
        await client.query(
          `UPDATE ${schema}.subject_keys k SET wrapped_key = n.wrapped, kek_id = $3
           FROM unnest($1::text[], $2::bytea[]) AS n(id, wrapped) WHERE k.subject_id = n.id`,
          [ids, wrapped, options.to.kekId],
        );
        await client.query('COMMIT');
        rewrapped += rows.length;
        options.onProgress?.(rewrapped);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.subject_keys WHERE kek_id <> $1`, [
      options.to.kekId,
    ]);
    return { rewrapped, remaining: Number(rows[0]?.n ?? 0), kekId: options.to.kekId };
  } finally {
    await client.end();
  }
}
