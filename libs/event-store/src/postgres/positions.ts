/**
 * Global positions (ADR 0003): `(transaction id << 20) + ordinal within the transaction`. Every log that needs an
 * order readers can follow without skipping a late commit (the event log, the access log) uses this scheme.
 */

/**
 * The read horizon: every position below it is final. A transaction that can still commit has an id at or above
 * `pg_snapshot_xmin`, hence positions at or above this value; readers stay below it and never skip a late commit.
 */
export const READ_HORIZON_SQL = '(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)';

/** The first position of the current transaction. */
export const TRANSACTION_BASE_SQL = '((pg_current_xact_id()::text::bigint) << 20)';

/**
 * Planner settings under which a read of a log in position order keeps the index-ordered plan whatever the table's
 * statistics say. On a freshly written table that has not been analysed yet, PostgreSQL estimates a range of
 * positions as a handful of rows and picks a bitmap scan of the whole remaining range plus a sort, for every batch,
 * so a catch-up reader's cost grows with what is left to read (issue 14). These settings leave it only the
 * index scan (they discourage, they do not forbid: a query with no usable index still runs).
 */
export const INDEX_ORDER_SETTINGS: readonly (readonly [string, string])[] = [
  ['enable_seqscan', 'off'],
  ['enable_bitmapscan', 'off'],
  ['enable_sort', 'off'],
];

/**
 * The same settings for a session (a dedicated connection that reads a log with a query built at run time, such as
 * a research selection), and the statement that resets them before the connection goes back to its pool.
 */
export const INDEX_ORDER_SESSION_SQL = INDEX_ORDER_SETTINGS.map(([name, value]) => `SET ${name} = ${value}`).join('; ');
export const INDEX_ORDER_RESET_SQL = INDEX_ORDER_SETTINGS.map(([name]) => `RESET ${name}`).join('; ');

/** The same settings as the SET clauses of a function. */
export function indexOrderFunctionSettings(): string {
  return INDEX_ORDER_SETTINGS.map(([name, value]) => `SET ${name} = ${value}`).join(' ');
}

/**
 * The event log's keyset read in position order, through functions that carry INDEX_ORDER_SETTINGS (migration
 * ReadLogInIndexOrder1764900000000): `$1` the position to read after, `$2` how many, `$3` the force when given.
 */
export function readLogSql(schema: string, columns: string, byForce: boolean): string {
  return byForce ? `SELECT ${columns} FROM ${schema}.read_force_log($3, $1, $2)` : `SELECT ${columns} FROM ${schema}.read_log($1, $2)`;
}
