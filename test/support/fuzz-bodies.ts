import fc from 'fast-check';
import { NASTY_KEYS, nastyJson, nastyNumber, nastyString } from '#testing';

/**
 * Request bodies for the fuzzing tier, drawn from a route's OpenAPI schema: bodies valid by the schema (so the
 * fuzzer reaches the domain's rules), the same mutated field by field (wrong types, nasty values, fields removed or
 * added, deep nesting), any JSON value, and raw text that is not JSON at all. Every body is sent as raw text, so
 * keys such as `__proto__` and nesting deeper than JSON.stringify would manage reach the server as written.
 */

/** A JSON Schema object as the OpenAPI document holds it (what the generators read). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

export type Components = Record<string, Schema>;

/** One request to send: the raw body, its content type, and what was done to a valid body, if anything. */
export interface FuzzBody {
  readonly text: string;
  readonly contentType: string | undefined;
  readonly headers: Record<string, string>;
  /** Set when exactly one field of a valid body was given a value its schema does not allow: it must be refused naming it. */
  readonly wrongTypeAt?: string;
  /** What the generator did, for the failure report. */
  readonly how: string;
}

const MAX_DEPTH = 6;
/** The body limit (NOM_BODY_LIMIT_BYTES) is 64 KiB: nesting and sizes go past it on purpose, and stay under it. */
const DEEP_MAX = 30_000;

export function resolve(schema: Schema, components: Components): Schema {
  if (schema.$ref) return resolve(components[schema.$ref.replace('#/components/schemas/', '')] ?? {}, components);
  if (schema.allOf?.[0]) {
    const { allOf, ...rest } = schema;
    return { ...rest, ...resolve(allOf[0]!, components) };
  }
  return schema;
}

/** The request body schema of an operation, if it takes one. */
export function bodySchemaOf(operation: unknown): Schema | undefined {
  return (operation as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody?.content?.['application/json']
    ?.schema;
}

const DAY = 86_400_000;
const instants = (): fc.Arbitrary<Date> =>
  fc
    .integer({ min: Date.UTC(2015, 0, 1) / DAY, max: Date.UTC(2030, 0, 1) / DAY })
    .chain((d) => fc.integer({ min: 0, max: DAY - 1 }).map((ms) => new Date(d * DAY + ms)));

/** Values valid by the schema: types, enums, formats, ranges, lengths; documented examples often. */
export function validOf(raw: Schema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw, components);
  if (depth > MAX_DEPTH) return fc.constant(undefined);
  const example = schema.example;
  const withExample = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    example === undefined ? arbitrary : fc.oneof({ weight: 3, arbitrary: fc.constant(example) }, { weight: 1, arbitrary });
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type ?? 'object') {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return withExample(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? Math.max(10, (schema.minimum ?? 0) + 20) }));
    case 'number':
      return withExample(
        fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? Math.max(10, (schema.minimum ?? 0) + 20), noNaN: true }),
      );
    case 'array': {
      const items = schema.items ? validOf(schema.items, components, depth + 1) : fc.string();
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    }
    case 'string':
      switch (schema.format ?? 'text') {
        case 'uuid':
          return fc.uuid();
        case 'date-time':
          return withExample(instants().map((d) => d.toISOString()));
        case 'date':
          return withExample(instants().map((d) => d.toISOString().slice(0, 10)));
        default:
          return withExample(
            fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 30, 30) }),
          );
      }
    default: {
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, child]) => [name, validOf(child, components, depth + 1)]),
      );
      return fc.record(properties, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
    }
  }
}

/** The JSON types a schema allows (null when nullable). */
function allowedTypes(raw: Schema, components: Components): Set<string> {
  const schema = resolve(raw, components);
  const type = schema.type ?? 'object';
  const types = new Set([type === 'integer' ? 'number' : type]);
  if (schema.nullable) types.add('null');
  return types;
}

const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** One value of each JSON type, to give a field a type its schema does not allow. */
const OF_EACH_TYPE: readonly unknown[] = [null, true, 7, 'text', [], {}, ['text'], { a: 1 }];

/** Every value's JSON pointer in a body, with the schema that governs it (undefined outside the schema). */
function pointersOf(value: unknown, schema: Schema | undefined, components: Components, pointer = ''): [string, Schema | undefined][] {
  const resolved = schema && resolve(schema, components);
  const here: [string, Schema | undefined][] = pointer === '' ? [] : [[pointer, resolved]];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, i) => pointersOf(item, resolved?.items, components, `${pointer}/${i}`))];
  if (value !== null && typeof value === 'object') {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, child]) => pointersOf(child, resolved?.properties?.[key], components, `${pointer}/${key}`)),
    ];
  }
  return here;
}

type Mutation =
  | { kind: 'delete' }
  | { kind: 'set'; value: unknown }
  | { kind: 'wrong-type'; pick: number }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'deep' };

const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
    { weight: 4, arbitrary: fc.oneof(nastyString(), nastyNumber(), nastyJson(2)).map((value) => ({ kind: 'set' as const, value })) },
    { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'wrong-type' as const, pick })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...NASTY_KEYS), nastyJson(1)).map(([key, value]) => ({ kind: 'add' as const, key, value })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'deep' as const }) },
  );

/** A placeholder swapped for deep nesting in the serialised text (JSON.stringify would not reach that depth). */
const DEEP = '\u0001deep\u0001';

function parentAndKey(body: unknown, pointer: string): [Record<string, unknown> | unknown[], string] | undefined {
  const parts = pointer.split('/').slice(1);
  let node: unknown = body;
  for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown>)[part];
  return node !== null && typeof node === 'object' ? [node as Record<string, unknown>, parts[parts.length - 1]!] : undefined;
}

/** Applies mutations to a copy of a body; returns the body and the pointer of a lone wrong-type mutation. */
function mutate(
  valid: unknown,
  schema: Schema,
  components: Components,
  mutations: [number, Mutation][],
): { body: unknown; wrongTypeAt?: string; how: string[] } {
  const body = structuredClone(valid);
  const how: string[] = [];
  let wrongTypeAt: string | undefined;
  for (const [index, m] of mutations) {
    const pointers = pointersOf(body, schema, components);
    if (pointers.length === 0) continue;
    const [pointer, fieldSchema] = pointers[index % pointers.length]!;
    const target = parentAndKey(body, pointer);
    if (!target) continue;
    const [parent, key] = target;
    const set = (shared: unknown): void => {
      // A copy: generators hand out the same constant objects again, and a later mutation must not change them.
      const value = structuredClone(shared);
      // defineProperty: a key such as __proto__ becomes a property, as JSON.parse makes it on the server.
      if (Array.isArray(parent)) parent[Number(key)] = value;
      else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    };
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        how.push(`delete ${pointer}`);
        break;
      case 'set':
        set(m.value);
        how.push(`set ${pointer}`);
        break;
      case 'wrong-type': {
        const allowed = fieldSchema ? allowedTypes(fieldSchema, components) : new Set<string>();
        const candidates = OF_EACH_TYPE.filter((v) => !allowed.has(jsonType(v)));
        set(candidates[m.pick % candidates.length]);
        how.push(`wrong type at ${pointer}`);
        if (fieldSchema && mutations.length === 1) wrongTypeAt = pointer;
        break;
      }
      case 'add': {
        const value = jsonType(parent) === 'array' ? undefined : m.value;
        if (value !== undefined)
          Object.defineProperty(parent, m.key, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
        how.push(`add ${JSON.stringify(m.key)} beside ${pointer}`);
        break;
      }
      case 'deep':
        set(DEEP);
        how.push(`deep nesting at ${pointer}`);
        break;
      default: {
        const never: never = m;
        throw new Error(`unknown mutation ${JSON.stringify(never)}`);
      }
    }
  }
  return { body, ...(wrongTypeAt ? { wrongTypeAt } : {}), how };
}

/** Serialises a body, swapping the deep placeholder for `depth` levels of nested arrays or objects. */
function serialise(body: unknown, depth: number, arrays: boolean): string {
  const text = JSON.stringify(body) ?? 'null';
  const nested = arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return text.replaceAll(JSON.stringify(DEEP), nested);
}

/** Text that is not the JSON it claims to be, or JSON that tries the parser's and the copier's limits. */
const rawText = (validText: string): fc.Arbitrary<{ text: string; how: string }> =>
  fc.oneof(
    fc.nat().map((cut) => ({ text: validText.slice(0, cut % Math.max(1, validText.length)), how: 'valid body cut short' })),
    fc
      .constantFrom(
        '{',
        '{"a":}',
        '{,}',
        '\ufeff{}',
        '{"a":1,"a":"b"}',
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '[1e400]',
        '{"n":-1e400}',
        '{"n":123456789012345678901234567890}',
        '"\\u0000"',
        '"\\ud800"',
        'null',
        'true',
        '0',
        'NaN',
        "{'single':'quotes'}",
      )
      .map((text) => ({ text, how: 'fixed raw text' })),
    fc.integer({ min: 1, max: DEEP_MAX }).map((depth) => ({ text: serialise(DEEP, depth, true), how: `top-level nesting ${depth} deep` })),
    // Past the body limit: 413.
    fc
      .integer({ min: 65 * 1024, max: 200 * 1024 })
      .map((size) => ({ text: JSON.stringify({ pad: 'x'.repeat(size) }), how: `${size} bytes` })),
  );

/** Headers a command reads besides its body: If-Match, Idempotency-Key, X-Correlation-Id, nasty or absent. */
const commandHeaders = (): fc.Arbitrary<Record<string, string>> =>
  fc
    .record(
      {
        'If-Match': fc.oneof(fc.constantFrom('"0"', 'W/"1"', '"99999999999999999999"', '*'), nastyString()),
        'Idempotency-Key': fc.oneof(fc.constantFrom('fuzz-key-00000001', 'fuzz-key-00000002'), nastyString()),
        'X-Correlation-Id': fc.oneof(fc.uuid(), nastyString()),
      },
      { requiredKeys: [] },
    )
    .map((headers) =>
      // An HTTP header value is Latin-1 text without line breaks; others cannot be sent at all.
      Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v))),
    );

const contentType = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        undefined,
      ),
    },
  );

/** Any body for a route whose request body has this schema. */
export function fuzzBody(schema: Schema, components: Components): fc.Arbitrary<FuzzBody> {
  const valid = validOf(schema, components);
  const mutated = fc
    // Mostly one mutation, so that the rest of the body is valid and the one fault is what the server meets.
    .tuple(
      valid,
      fc.oneof(
        { weight: 3, arbitrary: fc.tuple(fc.nat(), mutation()).map((m) => [m]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), mutation()), { minLength: 2, maxLength: 3 }) },
      ),
      fc.integer({ min: 1, max: DEEP_MAX }),
      fc.boolean(),
    )
    .map(([body, mutations, depth, arrays]) => {
      const result = mutate(body, schema, components, mutations);
      return {
        text: serialise(result.body, depth, arrays),
        ...(result.wrongTypeAt ? { wrongTypeAt: result.wrongTypeAt } : {}),
        how: `schema-valid body, then ${result.how.join(', ') || 'nothing to mutate'}`,
      };
    });
  const body = fc.oneof(
    { weight: 3, arbitrary: valid.map((b) => ({ text: JSON.stringify(b) ?? 'null', how: 'schema-valid body' })) },
    { weight: 8, arbitrary: mutated },
    { weight: 2, arbitrary: nastyJson(4).map((v) => ({ text: JSON.stringify(v) ?? 'null', how: 'any JSON value' })) },
    { weight: 2, arbitrary: valid.chain((b) => rawText(JSON.stringify(b) ?? '')) },
  );
  // Mostly no command headers, so that the body is what the server judges.
  const headers = fc.oneof({ weight: 3, arbitrary: fc.constant<Record<string, string>>({}) }, { weight: 1, arbitrary: commandHeaders() });
  return fc.tuple(body, contentType(), headers).map(([b, type, headers]) => {
    const as = type === 'application/json' ? '' : `, as ${type ?? 'no content type'}`;
    const how = `${b.how}${as}${Object.keys(headers).length > 0 ? `, with ${JSON.stringify(headers)}` : ''}`;
    // The field of the wrong type is the one fault only when the body is read as JSON and no header may be refused first.
    const { wrongTypeAt, ...rest } = b as typeof b & { wrongTypeAt?: string };
    const alone = wrongTypeAt !== undefined && type === 'application/json' && Object.keys(headers).length === 0;
    return { ...rest, ...(alone ? { wrongTypeAt } : {}), contentType: type, headers, how };
  });
}

/**
 * One body valid by the schema with every property, optional ones included (documented examples, else plain values),
 * for the field-by-field sweep: each of its fields in turn gets each of SWEEP_VALUES, the rest staying valid.
 */
export function fullBody(raw: Schema, components: Components, depth = 0): unknown {
  const schema = resolve(raw, components);
  if (depth > MAX_DEPTH) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type ?? 'object') {
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'array':
      return [fullBody(schema.items ?? { type: 'string' }, components, depth + 1)];
    case 'string':
      switch (schema.format ?? 'text') {
        case 'uuid':
          return '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';
        case 'date-time':
          return '2026-11-02T21:14:00.000Z';
        case 'date':
          return '2026-11-02';
        default:
          return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
      }
    default:
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, child]) => [name, fullBody(child, components, depth + 1)]),
      );
  }
}

/**
 * What the sweep gives each field: null, text PostgreSQL cannot store and nesting past the limit, which must be
 * refused naming the field (`refused`), and an empty array, which is a value of an array field.
 */
export const SWEEP_VALUES: readonly { how: string; json: string; refused: boolean }[] = [
  { how: 'null', json: 'null', refused: true },
  { how: 'a NUL', json: '"a\\u0000b"', refused: true },
  { how: 'a lone surrogate', json: '"a\\ud800b"', refused: true },
  { how: 'deep nesting', json: `${'['.repeat(40)}${']'.repeat(40)}`, refused: true },
  { how: 'an empty array', json: '[]', refused: false },
  // Text that looks like the store's ciphertext is the caller's own text: encrypted like any other (ADR 0022).
  { how: 'a ciphertext look-alike', json: `"nom-enc:v1:${'A'.repeat(40)}"`, refused: false },
];

/** The body with each value in turn replaced by each sweep value (raw JSON text). */
export function sweepBodies(body: unknown): FuzzBody[] {
  return pointersOf(body, undefined, {}).flatMap(([pointer]) =>
    SWEEP_VALUES.map(({ how, json, refused }) => {
      const copy = structuredClone(body);
      const [parent, key] = parentAndKey(copy, pointer)!;
      (parent as Record<string, unknown>)[key] = DEEP;
      const text = (JSON.stringify(copy) ?? '').replace(JSON.stringify(DEEP), json);
      return {
        text,
        contentType: 'application/json',
        headers: {},
        ...(refused ? { wrongTypeAt: pointer } : {}),
        how: `full body, ${how} at ${pointer}`,
      };
    }),
  );
}
