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
