import type { CatalogueEntry } from './catalogue-entry.js';
import type { National } from './scope.js';

/**
 * Each event type and version is declared once (issue 17, item 4; ADR 0036): its type name, context, summary, JSON
 * Schema, personal fields and example in one `defineEvent`. Everything else is derived from that declaration: the
 * data type (`DataOf`, inferred from the schema), the type-name constants (`typesOf`), the catalogue entry
 * (`catalogueOf`), and from the catalogue `docs/events.md`, the AsyncAPI document, the served schemas and the
 * `@nom-backbone/events` package. The example is typed by the schema, so an example that does not fit its schema
 * does not compile (and the unit tests validate every example against its schema at run time too).
 */

/** The TypeScript type a JSON Schema of the catalogue describes (the subset the catalogue uses; ADR 0036). */
export type Infer<S> = S extends { readonly anyOf: readonly (infer U)[] }
  ? Infer<U>
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly type: 'object'; readonly properties: infer P }
      ? ObjectOf<P, S extends { readonly required: readonly (infer R)[] } ? R : never>
      : S extends { readonly type: 'array'; readonly items: infer I }
        ? readonly Infer<I>[]
        : S extends { readonly type: 'string' }
          ? string
          : S extends { readonly type: 'integer' | 'number' }
            ? number
            : S extends { readonly type: 'boolean' }
              ? boolean
              : S extends { readonly type: 'null' }
                ? null
                : unknown;

type ObjectOf<P, R> = Flat<{ readonly [K in keyof P & R]: Infer<P[K]> } & { readonly [K in Exclude<keyof P, R>]?: Infer<P[K]> }>;
type Flat<T> = { [K in keyof T]: T[K] } & {};

export type EventContext = CatalogueEntry['context'];

/** One event type and version, as declared. `S` is the schema's own literal type. */
export interface EventDefinition<Type extends string = string, S = unknown> {
  readonly type: Type;
  readonly context: EventContext;
  readonly summary: string;
  /** JSON Schema (draft 2020-12) of the event's data. */
  readonly schema: S;
  /** JSON pointers of fields that hold personal data (none when absent). */
  readonly personalFields?: readonly string[];
  readonly example: Infer<S>;
  /** `national`: the event belongs to a national stream (see CatalogueEntry). */
  readonly scope?: National;
}

/** Declares one event type and version (the only place it is stated). */
export function defineEvent<const Type extends string, const S>(definition: EventDefinition<Type, S>): EventDefinition<Type, S> {
  return definition;
}

/** The data of a declared event, inferred from its schema. */
export type DataOf<D> = D extends EventDefinition<string, infer S> ? Infer<S> : never;
/** `{ type, data }` of a declared event. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: Infer<S> } : never;

/** A context's declarations, by name (`CrimeRecorded: defineEvent(...)`): the order is the catalogue's order. */
export type Definitions = Readonly<Record<string, EventDefinition<string, unknown>>>;
/** `{ Name: 'uk.police.nom.<context>.<name>.v<n>' }`, as literal types. */
export type TypesOf<M extends Definitions> = { readonly [K in keyof M]: M[K]['type'] };
/** Each declaration's data type, by name. */
export type DataMap<M extends Definitions> = { [K in keyof M]: DataOf<M[K]> };
/** The union of `{ type, data }` of the declarations (or of some of them: `EventUnion<Pick<typeof E, ...>>`). */
export type EventUnion<M extends Definitions> = { [K in keyof M]: EventOf<M[K]> }[keyof M];

/** The type-name constants of a context's declarations. */
export function typesOf<M extends Definitions>(definitions: M): TypesOf<M> {
  return Object.fromEntries(Object.entries(definitions).map(([name, d]) => [name, d.type])) as TypesOf<M>;
}

/** The JSON Schemas of a context's declarations, by type name. */
export function schemasOf<M extends Definitions>(definitions: M): Readonly<Record<M[keyof M]['type'], object>> {
  return Object.fromEntries(Object.values(definitions).map((d) => [d.type, d.schema as object])) as Record<M[keyof M]['type'], object>;
}

/** The catalogue entries of a context's declarations, in declaration order. */
export function catalogueOf(definitions: Definitions): readonly CatalogueEntry[] {
  return Object.values(definitions).map((d) => ({
    type: d.type,
    context: d.context,
    summary: d.summary,
    schema: d.schema as object,
    personalFields: d.personalFields ?? [],
    example: d.example as object,
    ...(d.scope ? { scope: d.scope } : {}),
  }));
}
