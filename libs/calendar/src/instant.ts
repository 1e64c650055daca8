/**
 * The one ISO 8601 instant the backbone accepts: a date, a time and an explicit offset (`Z` or `+hh:mm`). Without
 * an offset `Date.parse` would read the host's zone, and the domain has none.
 */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Milliseconds of an RFC 3339 instant (with `Z` or an offset); RangeError otherwise. */
export function instantMs(instant: string): number {
  if (!isInstant(instant)) throw new RangeError(`not an ISO 8601 instant with a zone: ${instant}`);
  return Date.parse(instant);
}

/** Instants compared as points in time, whatever their offsets. */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
