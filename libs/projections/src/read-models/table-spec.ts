import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import type { ReadModelTables } from '../read-model.js';
import { queryPrepared } from '../prepared-query.js';
import { copyRows } from './copy-rows.js';

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

/** What the writes need of a spec, derived once per spec: fields, SQL names and types in column order. */
interface SpecPlan {
  readonly fields: readonly string[];
  readonly columns: readonly string[];
  readonly types: readonly ColumnType[];
  readonly keys: readonly string[];
  /** The fields of the key, and the SQL type of a single-column key. */
  readonly keyFields: readonly string[];
  readonly keyType: ColumnType;
  readonly recordset: string;
}

const plans = new WeakMap<object, SpecPlan>();

function planOf<R>(spec: TableSpec<R>): SpecPlan {
  let plan = plans.get(spec);
  if (!plan) {
    const entries = Object.entries<ColumnType>(spec.columns);
    const keyFields = spec.key as readonly string[];
    plan = {
      fields: entries.map(([field]) => field),
      columns: entries.map(([field]) => snake(field)),
      types: entries.map(([, type]) => type),
      keys: keyFields.map(snake),
      keyFields,
      keyType: spec.columns[spec.key[0]!],
      recordset: entries.map(([field, type]) => `${snake(field)} ${type}`).join(', '),
    };
    plans.set(spec, plan);
  }
  return plan;
}

function toJsonRow(plan: SpecPlan, row: Row): Row {
  const out: Row = {};
  for (let i = 0; i < plan.fields.length; i++) out[plan.columns[i]!] = row[plan.fields[i]!] ?? null;
  return out;
}

/**
 * The statement that reads a table's rows by their keys (`$1`, an array of the key's type), as `loadRows` runs it.
 * The keys are compared in the key's own type, so that the primary key's index finds the rows (a cast of the column
 * would not), and each is looked up in that index whatever the table's statistics say: a LATERAL subquery per key
 * (its LIMIT keeps the planner from flattening it into a join) is an equality on a unique key, for which an index
 * scan is cheapest at any table size past a few pages. With `key = ANY(keys)`, or a plain join of the keys, the
 * planner chose, and on a build never analysed (a rebuild's, or one just made live) it read the whole table for every
 * batch once the table passed about 100k rows (1,000 keys at 200k rows: 14.6 ms against 3.5 ms by the index), so that
 * a rebuild's cost per event grew with its read model.
 * Rows are locked for the batch, but in a rebuild's bulk path, whose build no other transaction writes.
 * Planned for each batch, not prepared (ADR 0047): a generic plan made while the table is small would keep a scan
 * of the whole table for the connection's life.
 */
export function rowsByKeySql<R extends object>(t: ReadModelTables, spec: TableSpec<R>): string {
  const plan = planOf(spec);
  const lock = t.bulk ? '' : ' FOR UPDATE';
  return (
    `SELECT to_jsonb(x) AS row FROM unnest($1::${plan.keyType}[]) AS k(key) ` +
    `CROSS JOIN LATERAL (SELECT * FROM ${t.table(spec.base)} WHERE ${plan.keys[0]!} = k.key LIMIT 1${lock}) x`
  );
}

/** Loads the rows with the given (single-column) keys, locked for the batch's transaction. */
export async function loadRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  keys: readonly string[],
): Promise<Map<string, R>> {
  if (keys.length === 0) return new Map();
  const plan = planOf(spec);
  const key = plan.keyFields[0]!;
  const rows: { row: Row }[] = await em.query(rowsByKeySql(t, spec), [keys]);
  const out = new Map<string, R>();
  for (const { row } of rows) {
    const value: Row = {};
    for (let i = 0; i < plan.fields.length; i++) {
      const raw = row[plan.columns[i]!] ?? null;
      // Instants come back in the session's offset: normalise to the ISO form the folds write.
      value[plan.fields[i]!] = plan.types[i] === 'timestamptz' && typeof raw === 'string' ? new Date(raw).toISOString() : raw;
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
  const plan = planOf(spec);
  const updates = plan.columns.filter((f) => !plan.keys.includes(f)).map((f) => `${f} = EXCLUDED.${f}`);
  await queryPrepared(
    em,
    `INSERT INTO ${t.table(spec.base)} (${plan.columns.join(', ')})
     SELECT ${plan.columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${plan.recordset})
     ON CONFLICT (${plan.keys.join(', ')}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`,
    [JSON.stringify(rows.map((r) => toJsonRow(plan, r as Row)))],
  );
}

/**
 * One multi-row insert of append-only rows; a row already there (same key) is left as it is. In a rebuild's bulk
 * path (`t.bulk`), one COPY of the rows, the first of each key: a key already in the table fails it, and the batch
 * then takes this statement.
 */
export async function insertRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const plan = planOf(spec);
  if (t.bulk) {
    const seen = new Set<string>();
    const fresh: R[] = [];
    for (const row of rows) {
      let key = '';
      for (const f of plan.keyFields) key += `${String((row as Row)[f])}\u0000`;
      if (!seen.has(key)) {
        seen.add(key);
        fresh.push(row);
      }
    }
    await copyTableRows(em, t, spec, fresh);
    return;
  }
  await queryPrepared(
    em,
    `INSERT INTO ${t.table(spec.base)} (${plan.columns.join(', ')})
     SELECT ${plan.columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${plan.recordset})
     ON CONFLICT (${plan.keys.join(', ')}) DO NOTHING`,
    [JSON.stringify(rows.map((r) => toJsonRow(plan, r as Row)))],
  );
}

/** New rows of a table by COPY (the bulk path): a key already there fails it. */
async function copyTableRows<R extends object>(
  em: EntityManager,
  t: ReadModelTables,
  spec: TableSpec<R>,
  rows: readonly R[],
): Promise<void> {
  const plan = planOf(spec);
  await copyRows(em, t.table(spec.base), plan.columns, plan.types, rows as readonly Row[], plan.fields);
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
  // The events that change a row, and each one's key (parallel arrays: no object per event).
  const taken: RecordedEvent[] = [];
  const keys: string[] = [];
  for (const event of events) {
    const key = fold.keyOf(event);
    if (key === undefined) continue;
    taken.push(event);
    keys.push(key);
  }
  if (taken.length === 0) return;
  const touched = new Set(keys);
  const rows = await loadRows(em, t, fold.spec, [...touched]);
  // In a rebuild's bulk path the build is written by its rebuild alone: a row it did not find is new.
  const existing = t.bulk ? new Set(rows.keys()) : undefined;
  for (let i = 0; i < taken.length; i++) rows.set(keys[i]!, fold.evolve(rows.get(keys[i]!) ?? null, taken[i]!));
  if (!existing) {
    await upsertRows(
      em,
      t,
      fold.spec,
      [...touched].map((k) => rows.get(k)!),
    );
    return;
  }
  const changed: R[] = [];
  const fresh: R[] = [];
  for (const key of touched) (existing.has(key) ? changed : fresh).push(rows.get(key)!);
  await upsertRows(em, t, fold.spec, changed);
  await copyTableRows(em, t, fold.spec, fresh);
}

type Data = Record<string, unknown>;
/** A string field of an event's data (the catalogue has validated the event). */
export const field = (event: RecordedEvent, name: string): string => (event.data as Data)[name] as string;
export const maybeField = (event: RecordedEvent, name: string): string | undefined => (event.data as Data)[name] as string | undefined;
