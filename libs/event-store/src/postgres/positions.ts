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

/** INDEX_ORDER_SETTINGS for the rest of the current transaction, as statements that precede a read (`readLogSql`). */
export const INDEX_ORDER_LOCAL_SQL = INDEX_ORDER_SETTINGS.map(([name, value]) => `SET LOCAL ${name} = ${value}; `).join('');

/** A force as a literal in a log read: force codes (and test forces) are letters, digits, '-', '_', '.' or ':'. */
const FORCE_LITERAL = /^[A-Za-z0-9_.:-]{1,128}$/;

/** One batch of a keyset read of the log in position order. */
export interface LogRead {
  /** Read after this position. */
  readonly after: bigint;
  /** At most this many events. */
  readonly take: number;
  /** Only this force's events (the `(force, position)` index); every force's when undefined. */
  readonly force?: string | undefined;
}

/**
 * The event log's keyset read in position order, as one simple-protocol query: `SET LOCAL` of INDEX_ORDER_SETTINGS,
 * then the SELECT, in the implicit transaction PostgreSQL runs a multi-statement query in (the settings end with it,
 * and a failed statement rolls it back: the connection goes back to its pool as it came). The only plan left is the
 * ordered index scan (primary key, or `(force, position)`) whatever the statistics say (ADR 0019). One round trip a
 * batch, as before; the values are inlined (the simple protocol takes none): positions and counts are integers, a
 * force is checked against FORCE_LITERAL. The SELECT's rows are the last result (`lastRows`).
 *
 * This replaced the functions `read_log` and `read_force_log` (migration ReadLogInIndexOrder1764900000000): a
 * set-returning SQL function with SET clauses is never inlined, so PostgreSQL collected each batch in a tuplestore
 * before sending it, about twice the server's CPU per event of the same SELECT (issue 14).
 */
export function readLogSql(schema: string, columns: string, read: LogRead): string {
  const take = Math.floor(read.take);
  if (!Number.isSafeInteger(take) || take < 1) throw new RangeError(`a log read takes a positive whole number of events, not ${read.take}`);
  const after = `position > ${BigInt(read.after).toString()} AND position < ${READ_HORIZON_SQL}`;
  if (read.force === undefined)
    return `${INDEX_ORDER_LOCAL_SQL}SELECT ${columns} FROM ${schema}.events WHERE ${after} ORDER BY position LIMIT ${take}`;
  if (!FORCE_LITERAL.test(read.force)) throw new RangeError(`not a force code: ${JSON.stringify(read.force)}`);
  return `${INDEX_ORDER_LOCAL_SQL}SELECT ${columns} FROM ${schema}.events WHERE force = '${read.force}' AND ${after} ORDER BY force, position LIMIT ${take}`;
}

/** The rows of the last statement of a (possibly multi-statement) query's result. */
export function lastRows<T>(result: { readonly rows: T[] } | readonly { readonly rows: T[] }[]): T[] {
  if (!Array.isArray(result)) return (result as { readonly rows: T[] }).rows;
  const results = result as readonly { readonly rows: T[] }[];
  return results[results.length - 1]?.rows ?? [];
}
