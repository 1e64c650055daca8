import type pg from 'pg';
import { EVENT_CATALOGUE } from '#contracts';
import { assertIdentifier } from '#event-store/reading';

/** Which clock a time window is on: when the fact happened (`metadata.occurredAt`) or when the log recorded it. */
export type TimeBasis = 'occurred' | 'recorded';

/** The events an export or a replay reads: a window, some forces, some types, and a fixed upper position. */
export interface Selection {
  /** Inclusive lower bound (ISO date or instant), on `timeBasis`. */
  readonly from?: string;
  /** Exclusive upper bound. */
  readonly to?: string;
  readonly timeBasis: TimeBasis;
  /** Force codes (`national` included); undefined: every force. */
  readonly forces?: readonly string[];
  /** Exact event types (resolved from selectors, see `resolveTypes`). */
  readonly types: readonly string[];
}

/**
 * The catalogue entries a research export may carry: facts of investigations, victims, suspects, officers and
 * the model. The privacy context's events (erasures) record the processing of personal data itself and never
 * leave in an export.
 */
const EXPORTABLE = EVENT_CATALOGUE.filter((e) => e.context !== 'privacy');
const CONTEXTS = new Set(EXPORTABLE.map((e) => e.context));

/**
 * Resolves `--types` selectors against the catalogue: an exact type (`uk.police.nom.victims.letter-sent.v1`), a
 * context (`victims`) or a prefix (`uk.police.nom.victims.`, `uk.police.nom.cases.crime-*`). No selector: every
 * catalogue type. Only catalogue types can be exported (nothing of an undescribed payload can be judged safe).
 */
export function resolveTypes(selectors: readonly string[] | undefined): string[] {
  const all = EXPORTABLE.map((e) => e.type);
  if (!selectors || selectors.length === 0 || (selectors.length === 1 && selectors[0] === 'all')) return [...all].sort();
  const out = new Set<string>();
  for (const raw of selectors) {
    const s = raw.trim();
    let matched: string[];
    if (CONTEXTS.has(s as never)) matched = EXPORTABLE.filter((e) => e.context === s).map((e) => e.type);
    else if (s.endsWith('*')) matched = all.filter((t) => t.startsWith(s.slice(0, -1)));
    else if (s.endsWith('.')) matched = all.filter((t) => t.startsWith(s));
    else matched = all.filter((t) => t === s);
    if (matched.length === 0) throw new Error(`--types: ${JSON.stringify(s)} matches no exportable catalogue event type`);
    for (const t of matched) out.add(t);
  }
  return [...out].sort();
}

/** Parses a window bound: an ISO date (midnight UTC) or instant. */
export function parseBound(value: string, name: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${name} must be an ISO date or date-time, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

interface Compiled {
  readonly where: string;
  readonly params: unknown[];
}

/** The selection as SQL conditions; parameters start at $3 ($1, $2: the position range). */
function compile(selection: Selection): Compiled {
  const params: unknown[] = [selection.types];
  const where = [`type = ANY ($3::text[])`];
  if (selection.forces) {
    params.push(selection.forces);
    where.push(`force = ANY ($${params.length + 2}::text[])`);
  }
  const time = selection.timeBasis === 'recorded' ? 'recorded_at' : `(metadata->>'occurredAt')::timestamptz`;
  if (selection.from) {
    params.push(selection.from);
    where.push(`${time} >= $${params.length + 2}::timestamptz`);
  }
  if (selection.to) {
    params.push(selection.to);
    where.push(`${time} < $${params.length + 2}::timestamptz`);
  }
  return { where: where.join(' AND '), params };
}

/**
 * The highest position every reader can already see: below the oldest running transaction (the log's read
 * horizon), so no event can later commit at or below it. An export fixes it at its start; a resumed export
 * reads up to the same position, so it gives the same events whatever was appended since.
 */
export async function stableHead(pool: pg.Pool, eventStoreSchema: string): Promise<bigint> {
  const schema = assertIdentifier(eventStoreSchema);
  const { rows } = await pool.query<{ head: string | null }>(
    `SELECT max(position) AS head FROM ${schema}.events
     WHERE position < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)`,
  );
  return BigInt(rows[0]?.head ?? 0);
}

/** Number of selected events in (after, upTo]. */
export async function countSelection(
  pool: pg.Pool | pg.PoolClient,
  eventStoreSchema: string,
  selection: Selection,
  after: bigint,
  upTo: bigint,
): Promise<number> {
  const schema = assertIdentifier(eventStoreSchema);
  const { where, params } = compile(selection);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${schema}.events WHERE position > $1 AND position <= $2 AND ${where}`,
    [after.toString(), upTo.toString(), ...params],
  );
  return Number(rows[0]!.n);
}

/**
 * How a read gives `recordedAt`: the instant (ISO), or only its UTC date (`YYYY-MM-DD`), the finest a research
 * export may keep: then the precise time of recording never enters the exporter, and the database formats the
 * date (no Date object per row on the export's hottest path).
 */
export type RecordedTime = 'instant' | 'utc-date';

/**
 * One keyset batch of the selection, in position order: `$1` the position to read after, `$2` the fixed upper
 * position, then the selection's parameters (`params`). Columns: position, event id, stream id, revision, type,
 * data, metadata, recorded time.
 */
export function selectionBatchSql(
  eventStoreSchema: string,
  selection: Selection,
  batchSize: number,
  recorded: RecordedTime,
): { readonly sql: string; readonly params: unknown[] } {
  const schema = assertIdentifier(eventStoreSchema);
  const { where, params } = compile(selection);
  const recordedColumn = recorded === 'utc-date' ? `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS recorded_at` : 'recorded_at';
  const sql = `SELECT position, event_id, stream_id, revision, type, data, metadata, ${recordedColumn} FROM ${schema}.events
    WHERE position > $1 AND position <= $2 AND ${where} ORDER BY position LIMIT ${batchSize}`;
  return { sql, params };
}
