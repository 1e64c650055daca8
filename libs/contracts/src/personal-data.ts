import { catalogueEntry, dataSchemaUri } from './catalogue.js';

/**
 * Personal data at rest and on the wire (ADR 0011). Every field the catalogue lists in `personalFields` is
 * stored, published and consumed as an encrypted token, never in clear:
 *
 *   `nom-enc:v1:<base64url(iv 12 bytes | ciphertext | GCM tag 16 bytes)>`
 *
 * AES-256-GCM under the data subject's key (key id = stream id), the plaintext being the field's JSON value, the
 * additional authenticated data `nom-enc:v1|<event id>|<JSON pointer>` (a token moved to another event or field
 * fails to decrypt). Once the subject is erased its key no longer exists: a reader that decrypts gets
 * `ERASED` in place of a string field and `[ERASED]` in place of a list, so the value keeps its JSON type and
 * consumers that fold it (deciders, views) go on working with the non-personal rest of the event.
 */
export const ENCRYPTED_PREFIX = 'nom-enc:v1:';
export const ERASED = '[erased]';

export function isEncryptedToken(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENCRYPTED_PREFIX);
}

/** The erased marker in either of its forms (a string field, or a list field). */
export function isErasedValue(value: unknown): boolean {
  return value === ERASED || (Array.isArray(value) && value.length === 1 && value[0] === ERASED);
}

/** Additional authenticated data binding a token to one field of one event. */
export function personalFieldAad(eventId: string, pointer: string): Buffer {
  return Buffer.from(`nom-enc:v1|${eventId}|${pointer}`, 'utf8');
}

const segmentsOf = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));

/** The value at a JSON pointer, or `{ found: false }`. */
export function readPointer(document: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  let current: unknown = document;
  for (const segment of segmentsOf(pointer)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return { found: false };
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}

/**
 * A copy of `document` with the value at `pointer` replaced (or removed when `value` is `undefined`): only the
 * objects on the path are copied, the input is never mutated. A path that does not exist is left as it is.
 */
export function writePointer<T>(document: T, pointer: string, value: unknown): T {
  const segments = segmentsOf(pointer);
  const write = (node: unknown, index: number): unknown => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const key = segments[index]!;
    if (!Object.hasOwn(node, key)) return node;
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    if (index === segments.length - 1) {
      if (value === undefined) delete copy[key];
      else copy[key] = value;
    } else {
      copy[key] = write(copy[key], index + 1);
    }
    return copy;
  };
  return segments.length === 0 ? document : (write(document, 0) as T);
}

/** The catalogue's personal fields of an event type (none for a type it does not know). */
export function personalFieldsOf(type: string): readonly string[] {
  return catalogueEntry(type)?.personalFields ?? [];
}

function schemaAt(schema: unknown, pointer: string): Record<string, unknown> | undefined {
  let current = schema as Record<string, unknown> | undefined;
  for (const segment of segmentsOf(pointer)) {
    const properties = current?.['properties'] as Record<string, Record<string, unknown>> | undefined;
    current = properties?.[segment];
  }
  return current;
}

/** What an erased personal field reads as: `[ERASED]` where the catalogue's schema says the field is a list. */
export function erasedValueFor(type: string, pointer: string): unknown {
  const schema = schemaAt(catalogueEntry(type)?.schema, pointer);
  return schema?.['type'] === 'array' ? [ERASED] : ERASED;
}

/**
 * The event's data with every protected personal field (an encrypted token or the erased marker) replaced by
 * the catalogue example's value for that field (removed where the example has none, the field being
 * optional): what a consumer that never decrypts validates against the schema. Clear values are left alone.
 */
export function withProtectedFieldsAsExample(type: string, data: unknown): unknown {
  const entry = catalogueEntry(type);
  if (!entry) return data;
  let result = data;
  for (const pointer of entry.personalFields) {
    const current = readPointer(result, pointer);
    if (!current.found || !(isEncryptedToken(current.value) || isErasedValue(current.value))) continue;
    const example = readPointer(entry.example, pointer);
    result = writePointer(result, pointer, example.found ? example.value : undefined);
  }
  return result;
}

/** The JSON Schema of an event's data as published: each personal field may also be an encrypted token. */
export function publishedSchema(schema: object, personalFields: readonly string[]): object {
  const token = { type: 'string', pattern: `^${ENCRYPTED_PREFIX}[A-Za-z0-9_-]+$`, description: 'personal data, encrypted (ADR 0011)' };
  const wrap = (node: unknown, segments: readonly string[]): unknown => {
    if (segments.length === 0) return { anyOf: [node, token] };
    const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
    const [head, ...rest] = segments;
    if (!properties || head === undefined || !(head in properties)) return node;
    return { ...(node as object), properties: { ...properties, [head]: wrap(properties[head], rest) } };
  };
  return personalFields.reduce<object>((current, pointer) => wrap(current, segmentsOf(pointer)) as object, schema);
}

/**
 * The JSON Schema the backbone serves for an event type and version at its `dataschema` URL (ADR 0031): the data as
 * published (each personal field may be an encrypted token), with its URL as `$id`. Undefined for an unknown type.
 */
export function servedSchema(type: string, baseUrl?: string): object | undefined {
  const entry = catalogueEntry(type);
  if (!entry) return undefined;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: dataSchemaUri(type, baseUrl),
    title: type,
    description: entry.summary,
    ...publishedSchema(entry.schema, entry.personalFields),
  };
}
