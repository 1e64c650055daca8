/**
 * What a read model's queries need (issue 17, item 1): a reader of the caller's force's views, and paging.
 * The queries live in each read model's folder beside its table; the API (libs/read-models-api) only parses the
 * request, checks the caller and hands the typed answer back.
 */

/** Runs SQL against the read models' views; `view(base)` is the quoted view of the caller's force (or national). */
export interface ViewReader {
  view(base: string): string;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export type FilterValue = string | number | boolean;
export type Filters = Partial<Record<string, FilterValue>>;

export interface Page<T> {
  readonly items: T[];
  readonly limit: number;
  readonly offset: number;
  /** The offset of the next page, or null on the last one. */
  readonly nextOffset: number | null;
}

/** Builds `WHERE` clauses with numbered parameters. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: (p: string) => string, value: unknown): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.clauses.push(clause(`$${this.params.length}`));
    return this;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A row as the API shows it: camelCase names, instants as ISO strings. */
export function viewRow<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v instanceof Date ? v.toISOString() : v])) as T;
}

/** `LIMIT … OFFSET …` of the filters' paging (default 50 from 0). */
export const paging = (w: Where, f: Filters): string => `LIMIT ${w.param(f['limit'] ?? 50)} OFFSET ${w.param(f['offset'] ?? 0)}`;

/** A page of rows, shown as views. */
export function page<T>(rows: Record<string, unknown>[], f: Filters): Page<T> {
  const limit = (f['limit'] as number | undefined) ?? 50;
  const offset = (f['offset'] as number | undefined) ?? 0;
  return { items: rows.map((r) => viewRow<T>(r)), limit, offset, nextOffset: rows.length === limit ? offset + limit : null };
}
