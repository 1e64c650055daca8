import type pg from 'pg';
import type { EntityManager } from 'typeorm';
import { prepared } from '#event-store';

/**
 * `em.query(text, values)` as a named prepared statement (ADR 0047) when `em` holds a connection of its own (a
 * transaction's): the projector's batch statements have fixed texts per read model version, so each is parsed and
 * planned once per connection instead of in every batch. Without a connection of its own, `em.query` as it is.
 * Resolves to the rows (a SELECT's, or what RETURNING gives); only for statements whose callers need nothing else.
 */
export async function queryPrepared<T>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const runner = em.queryRunner;
  if (runner === undefined || runner.isReleased) return em.query<T[]>(text, values);
  const client = (await runner.connect()) as pg.PoolClient;
  return (await client.query<T & pg.QueryResultRow>(prepared(text, values))).rows;
}
