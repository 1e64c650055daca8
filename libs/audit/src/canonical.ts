import type { RecordedEvent } from '#contracts';

/**
 * Canonical JSON (the bytes the hash chain covers). Rules, in the spirit of RFC 8785 (JCS):
 *  - object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace;
 *  - strings and finite numbers serialised exactly as `JSON.stringify` does (ECMAScript number form);
 *  - `undefined` object members are omitted (as JSON drops them); `undefined` in an array is refused;
 *  - anything that is not plain JSON (bigint, Date, Map, functions, NaN, Infinity, class instances) is refused,
 *    so a value can never serialise two ways.
 * The encoding of the result is UTF-8.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON refuses the number ${String(value)}`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value
          .map((item: unknown) => {
            if (item === undefined) throw new TypeError('canonical JSON refuses undefined in an array');
            return canonicalJson(item);
          })
          .join(',')}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError('canonical JSON accepts plain objects only');
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw new TypeError(`canonical JSON refuses a ${typeof value}`);
  }
}

/**
 * The sealed view of one event: position and revision as decimal strings (they are 64-bit), the event id, stream
 * id, type, data, metadata, and the commit time as ISO-8601 UTC with milliseconds (as the store reports it).
 * Keys: data, eventId, metadata, position, recordedAt, revision, streamId, type (sorted by canonicalJson).
 */
export function canonicalEvent(event: RecordedEvent): string {
  return canonicalJson({
    position: event.position.toString(),
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
}
