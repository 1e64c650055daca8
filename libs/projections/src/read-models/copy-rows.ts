import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/**
 * Rows written with COPY (text format) in the caller's transaction: the bulk path of a rebuild (ADR 0044). A value is
 * written as the set-based statements of the live path would store it from the JSON they send (`jsonb_to_recordset`):
 * JSON's null for undefined and for numbers that are not finite, an instant's ISO form for a Date, the JSON text for a
 * `jsonb` column; any other object in a plain column is refused (the batch then takes the live path's statements).
 */

/** COPY's text format escapes: backslash, and the characters that end a field or a row. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NULL = '\\N';

export class UnsupportedCopyValueError extends Error {
  override readonly name = 'UnsupportedCopyValueError';
}

function escaped(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text;
}

/** One field of a row in COPY's text format (`type`: the column's SQL type, as ColumnType names it). */
export function copyField(value: unknown, type: string): string {
  if (value === null || value === undefined) return NULL;
  if (type === 'jsonb') {
    const json = JSON.stringify(value) as string | undefined;
    return json === undefined ? NULL : escaped(json);
  }
  if (typeof value === 'string') return escaped(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : NULL;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  throw new UnsupportedCopyValueError(`no COPY form for a ${typeof value} in a ${type} column`);
}

/** The pg connection of the caller's transaction (TypeORM's query runner holds it). */
async function connectionOf(em: EntityManager): Promise<pg.PoolClient> {
  const runner = em.queryRunner as unknown as { connect(): Promise<pg.PoolClient> } | undefined;
  if (!runner) throw new Error('COPY needs the transaction of a query runner');
  return runner.connect();
}

/** Bytes per chunk handed to the COPY stream. */
const CHUNK_BYTES = 256 * 1024;

/** COPY's text, written straight into buffers (faster than building strings, which V8 then has to flatten and encode). */
class CopyText {
  readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = 0;

  /** A field and the byte that ends it (a tab, or a newline after a row's last field). */
  field(text: string, end: number): void {
    // At most three bytes of UTF-8 per UTF-16 unit.
    const room = text.length * 3 + 1;
    if (this.at + room > this.buffer.length) {
      this.flush();
      if (room > this.buffer.length) this.buffer = Buffer.allocUnsafe(room);
    }
    this.at += this.buffer.write(text, this.at);
    this.buffer[this.at++] = end;
  }

  flush(): Buffer[] {
    if (this.at > 0) this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.at = 0;
    return this.chunks;
  }
}

const TAB = 9;
const NEWLINE = 10;

/**
 * `rows` in COPY's text format, in chunks: each row an array of values in the order of `types`, or (with `fields`) an
 * object whose fields, in that order, hold them.
 */
export function copyChunks(
  types: readonly string[],
  rows: readonly (readonly unknown[])[] | readonly Readonly<Record<string, unknown>>[],
  fields?: readonly string[],
): Buffer[] {
  const last = types.length - 1;
  const text = new CopyText();
  if (fields) {
    for (const row of rows as readonly Readonly<Record<string, unknown>>[])
      for (let i = 0; i <= last; i++) text.field(copyField(row[fields[i]!], types[i]!), i === last ? NEWLINE : TAB);
  } else {
    for (const row of rows as readonly (readonly unknown[])[])
      for (let i = 0; i <= last; i++) text.field(copyField(row[i], types[i]!), i === last ? NEWLINE : TAB);
  }
  return text.flush();
}

/**
 * Writes `rows` into `table` (its `columns`, SQL names) with one COPY in the caller's transaction (rows as
 * `copyChunks` takes them). A key already in the table fails the COPY, and so the transaction.
 */
export async function copyRows(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  types: readonly string[],
  rows: readonly (readonly unknown[])[] | readonly Readonly<Record<string, unknown>>[],
  fields?: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const chunks = copyChunks(types, rows, fields);
  const client = await connectionOf(em);
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}
