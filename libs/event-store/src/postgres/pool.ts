import type pg from 'pg';

/**
 * Makes a pg pool outlive its server ending connections (a restart, `pg_terminate_backend`; ADR 0021). An idle
 * client that breaks is dropped by the pool (its `error` event, ignored here). A client checked out with
 * `pool.connect()` has no listener of its own: its `error` event, were nothing listening, would end the process.
 * Every client gets a listener from its first connection; the failed query still rejects (a transient error to
 * the loop's supervisor), and the pool drops the broken client when it is released. New queries reconnect.
 */
export function tolerateDisconnects<P extends pg.Pool>(pool: P): P {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => void client.on('error', () => undefined));
  return pool;
}
