import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * A statement of fixed text that a service runs many times a second (an append, a checkpoint, a read model's
 * batch write), as a named prepared statement (ADR 0047): node-postgres parses it once per connection and
 * PostgreSQL then skips the parse and, once its generic plan is chosen, the planning of every later execution.
 * Measured on the command path, planning alone was a third of PostgreSQL's time per statement. The name is derived
 * from the text, so two texts never share one and the same text is prepared once per connection whatever calls
 * it. Only for texts drawn from a bounded set (schema and table names, never values): each distinct text stays
 * prepared on every connection that ran it for the connection's life. Never for a lookup in a table that grows (a
 * stream's read, a read model's rows by key): a generic plan made while the table was small keeps its scan.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig<unknown[]> {
  return { name: statementName(text), text, values };
}

const NAMES = new Map<string, string>();
/** Texts remembered with their names; past this the memo starts again (the names stay the same, only rehashed). */
const MEMO_LIMIT = 2_000;

/** `nom_` and 22 characters of the text's SHA-256 (132 bits; a statement name may have 63 bytes). */
export function statementName(text: string): string {
  let name = NAMES.get(text);
  if (name === undefined) {
    name = `nom_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    if (NAMES.size >= MEMO_LIMIT) NAMES.clear();
    NAMES.set(text, name);
  }
  return name;
}
