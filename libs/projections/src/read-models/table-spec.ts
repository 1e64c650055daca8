import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModelTables } from '../read-model.js';

export type ColumnType = 'uuid' | 'text' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'timestamptz' | 'date' | 'jsonb';

/**
 * A read model table described once: its columns (camelCase fields of the row objects, snake_case in SQL), its
 * key and its indexes. The DDL, the batch load and the set-based writes are derived from it, so a row object and
 * its table can never disagree.
 */
export interface TableSpec<R> {
  readonly base: string;
  readonly columns: { readonly [K in keyof R & string]: ColumnType };
  readonly key: readonly (keyof R & string)[];
  /** Extra indexes, each a list of fields (`-` prefix: descending). */
  readonly indexes?: readonly (readonly string[])[];
}

export type Row = Record<string, unknown>;

export const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Every column name a spec creates (the personal-data test checks these against the catalogue). */
export function columnNames<R>(spec: TableSpec<R>): string[] {
  return Object.keys(spec.columns).map(snake);
}

export function createTableSql<R>(t: ReadModelTables, spec: TableSpec<R>): string[] {
  const table = t.table(spec.base);
  const columns = Object.entries<ColumnType>(spec.columns).map(
    ([field, type]) => `${snake(field)} ${type}${spec.key.includes(field as keyof R & string) ? ' NOT NULL' : ''}`,
  );
  const ddl = [`CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')}, PRIMARY KEY (${spec.key.map(snake).join(', ')}))`];
  // Index names are per schema: qualify them with the table's own (versioned) name.
  const unquoted = table.split('.').pop()!.replaceAll('"', '');
  for (const [i, fields] of (spec.indexes ?? []).entries()) {
    const cols = fields.map((f) => (f.startsWith('-') ? `${snake(f.slice(1))} DESC` : snake(f)));
    ddl.push(`CREATE INDEX IF NOT EXISTS "${unquoted}_i${i}" ON ${table} (${cols.join(', ')})`);
  }
  return ddl;
}

function recordsetShape<R>(spec: TableSpec<R>): string {
  return Object.entries<ColumnType>(spec.columns)
    .map(([field, type]) => `${snake(field)} ${type}`)
    .join(', ');
}

function toJsonRow<R>(spec: TableSpec<R>, row: Row): Row {
  return Object.fromEntries(Object.keys(spec.columns).map((field) => [snake(field), row[field] ?? null]));
}

/** Loads the rows with the given (single-column) keys, locked for the batch's transaction. */
export async function loadRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  keys: readonly string[],
): Promise<Map<string, R>> {
  if (keys.length === 0) return new Map();
  const key = spec.key[0]!;
  const rows: { row: Row }[] = await em.query(
    `SELECT to_jsonb(x) AS row FROM ${t.table(spec.base)} x WHERE ${snake(key)}::text = ANY($1::text[]) FOR UPDATE`,
    [keys],
  );
  const out = new Map<string, R>();
  for (const { row } of rows) {
    const value: Row = {};
    for (const [field, type] of Object.entries<ColumnType>(spec.columns)) {
      const raw = row[snake(field)] ?? null;
      // Instants come back in the session's offset: normalise to the ISO form the folds write.
      value[field] = type === 'timestamptz' && typeof raw === 'string' ? new Date(raw).toISOString() : raw;
    }
    out.set(String(value[key]), value as R);
  }
  return out;
}

/** One multi-row upsert for the whole batch (never a statement per row). */
export async function upsertRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const fields = Object.keys(spec.columns).map(snake);
  const keys = spec.key.map(snake);
  const updates = fields.filter((f) => !keys.includes(f)).map((f) => `${f} = EXCLUDED.${f}`);
  await em.query(
    `INSERT INTO ${t.table(spec.base)} (${fields.join(', ')})
     SELECT ${fields.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordsetShape(spec)})
     ON CONFLICT (${keys.join(', ')}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`,
    [JSON.stringify(rows.map((r) => toJsonRow(spec, r as Row)))],
  );
}

/** One multi-row insert of append-only rows; a row already there (same key) is left as it is. */
export async function insertRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const fields = Object.keys(spec.columns).map(snake);
  await em.query(
    `INSERT INTO ${t.table(spec.base)} (${fields.join(', ')})
     SELECT ${fields.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordsetShape(spec)})
     ON CONFLICT (${spec.key.map(snake).join(', ')}) DO NOTHING`,
    [JSON.stringify(rows.map((r) => toJsonRow(spec, r as Row)))],
  );
}

/** A table whose rows are folded per key: the batch's rows are loaded once, folded in memory, written once. */
export interface KeyedFold<R extends object> {
  readonly spec: TableSpec<R>;
  /** The row an event changes, if any. */
  keyOf(event: RecordedEvent): string | undefined;
  evolve(row: R | null, event: RecordedEvent): R;
}

export async function applyKeyedFold<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  fold: KeyedFold<R>,
  events: readonly RecordedEvent[],
): Promise<void> {
  const keyed = events
    .map((event) => ({ event, key: fold.keyOf(event) }))
    .filter((e): e is { event: RecordedEvent; key: string } => e.key !== undefined);
  if (keyed.length === 0) return;
  const rows = await loadRows(em, t, fold.spec, [...new Set(keyed.map((e) => e.key))]);
  const touched = new Set<string>();
  for (const { event, key } of keyed) {
    rows.set(key, fold.evolve(rows.get(key) ?? null, event));
    touched.add(key);
  }
  await upsertRows(
    em,
    t,
    fold.spec,
    [...touched].map((k) => rows.get(k)!),
  );
}

type Data = Record<string, unknown>;
/** A string field of an event's data (the catalogue has validated the event). */
export const field = (event: RecordedEvent, name: string): string => (event.data as Data)[name] as string;
export const maybeField = (event: RecordedEvent, name: string): string | undefined => (event.data as Data)[name] as string | undefined;
