import type { ColumnType, TableSpec } from './table-spec.js';

/**
 * A read model's columns, declared once (issue 17, item 1): each column's SQL type, its TypeScript type and its
 * OpenAPI shape. The table spec (DDL, batch load, set-based writes), the row type and the view's schema are all
 * derived from one declaration, so the table, the SQL and the answer can never disagree.
 */
export interface Column<T> {
  readonly sql: ColumnType;
  readonly api: OpenApiShape;
  /** Phantom: the column's TypeScript type (never set). */
  readonly type?: T;
  /** The same column, NULL allowed (OpenAPI `nullable`). */
  nullable(): Column<T | null>;
  /** The same column, with its OpenAPI description. */
  describe(description: string): Column<T>;
}

/** The subset of an OpenAPI 3 schema object the views use. */
export interface OpenApiShape {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly nullable?: boolean;
  readonly description?: string;
  readonly items?: OpenApiShape;
  readonly properties?: Readonly<Record<string, OpenApiShape>>;
  readonly required?: readonly string[];
}

function column<T>(sql: ColumnType, api: OpenApiShape): Column<T> {
  return {
    sql,
    api,
    nullable: () => column<T | null>(sql, { ...api, nullable: true }),
    describe: (description) => column<T>(sql, { ...api, description }),
  };
}

/** The column kinds of the read models: ids, codes, statuses, counts, flags and instants (never a personal field). */
export const col = {
  uuid: (): Column<string> => column('uuid', { type: 'string', format: 'uuid' }),
  text: (): Column<string> => column('text', { type: 'string' }),
  /** A text column holding one of `values` (a status, a code list). */
  oneOf: <V extends string>(values: readonly V[]): Column<V> => column('text', { type: 'string', enum: values }),
  integer: (): Column<number> => column('integer', { type: 'integer' }),
  /** A 64-bit integer: shown as a decimal string. */
  bigint: (): Column<string> => column('bigint', { type: 'string', format: 'int64' }),
  numeric: (): Column<number> => column('numeric', { type: 'number' }),
  boolean: (): Column<boolean> => column('boolean', { type: 'boolean' }),
  /** An instant, ISO 8601 in UTC. */
  instant: (): Column<string> => column('timestamptz', { type: 'string', format: 'date-time' }),
  /** A calendar date, YYYY-MM-DD. */
  date: (): Column<string> => column('date', { type: 'string', format: 'date' }),
  json: <T>(api: OpenApiShape = { type: 'object' }): Column<T> => column('jsonb', api),
};

export type Columns = Readonly<Record<string, Column<unknown>>>;

/** The row type a column declaration describes (camelCase fields). */
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer T> ? T : never };

/** A table declared by its columns: the `TableSpec` the runtime writes with, and the declaration it came from. */
export interface DeclaredTable<C extends Columns> extends TableSpec<RowOf<C>> {
  readonly declared: C;
}

export function declareTable<C extends Columns>(
  base: string,
  declared: C,
  options: { readonly key: readonly (keyof C & string)[]; readonly indexes?: readonly (readonly string[])[] },
): DeclaredTable<C> {
  const columns = Object.fromEntries(Object.entries(declared).map(([field, c]) => [field, c.sql])) as TableSpec<RowOf<C>>['columns'];
  return { base, declared, columns, key: options.key, ...(options.indexes ? { indexes: options.indexes } : {}) };
}

/** The OpenAPI schema of a view made of declared columns (plus computed fields), every field required. */
export function viewSchema(columns: Columns, extra: Readonly<Record<string, OpenApiShape>> = {}): OpenApiShape {
  const properties: Record<string, OpenApiShape> = Object.fromEntries(Object.entries(columns).map(([field, c]) => [field, c.api]));
  Object.assign(properties, extra);
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** The OpenAPI schema of a page of a view (`Page<T>` of the read models' API). */
export function pageSchema(item: OpenApiShape): OpenApiShape {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
      nextOffset: { type: 'integer', nullable: true, description: 'Offset of the next page; null on the last.' },
    },
    required: ['items', 'limit', 'offset', 'nextOffset'],
  };
}
