import { problem } from '#platform';

/** One query parameter's rule. */
export type FilterRule =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'instant' }
  | { readonly kind: 'date' }
  | { readonly kind: 'officer-id' }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number };

export type { FilterValue } from '#projections';
import type { FilterValue } from '#projections';

const OFFICER_ID = /^[A-Za-z0-9-]{2,32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function check(name: string, raw: string, rule: FilterRule): { value: FilterValue } | { reason: string } {
  switch (rule.kind) {
    case 'enum':
      return rule.values.includes(raw) ? { value: raw } : { reason: `must be one of ${rule.values.join(', ')}` };
    case 'instant':
      return INSTANT.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { value: new Date(raw).toISOString() }
        : { reason: 'must be an ISO 8601 date or date-time with offset' };
    case 'date':
      return DATE.test(raw) && !Number.isNaN(Date.parse(raw)) ? { value: raw } : { reason: 'must be a date YYYY-MM-DD' };
    case 'officer-id':
      return OFFICER_ID.test(raw) ? { value: raw } : { reason: 'must be 2-32 letters, digits or "-"' };
    case 'uuid':
      return UUID.test(raw) ? { value: raw.toLowerCase() } : { reason: 'must be a UUID' };
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { reason: 'must be true or false' };
    case 'integer': {
      const n = Number(raw);
      return /^-?\d+$/.test(raw) && n >= rule.min && n <= rule.max
        ? { value: n }
        : { reason: `must be an integer from ${rule.min} to ${rule.max}` };
    }
    default:
      return ((never: never) => ({ reason: `unknown rule for ${name}: ${JSON.stringify(never)}` }))(rule);
  }
}

/**
 * Reads a route's query string: each parameter must be one of `names` and given once, and `read` judges its value.
 * Returns the values read and every problem (field and reason), in the query's order.
 */
export function readQuery<K extends string, V>(
  query: Record<string, unknown>,
  names: readonly K[],
  unknownReason: string,
  read: (name: K, raw: string) => { value: V } | { reason: string },
): { values: Partial<Record<K, V>>; errors: { field: string; reason: string }[] } {
  const errors: { field: string; reason: string }[] = [];
  const values: Partial<Record<K, V>> = {};
  for (const [name, raw] of Object.entries(query)) {
    if (!(names as readonly string[]).includes(name)) {
      errors.push({ field: `/${name}`, reason: unknownReason });
      continue;
    }
    if (typeof raw !== 'string') {
      errors.push({ field: `/${name}`, reason: 'must be given once' });
      continue;
    }
    const result = read(name as K, raw);
    if ('reason' in result) errors.push({ field: `/${name}`, reason: result.reason });
    else values[name as K] = result.value;
  }
  return { values, errors };
}

/**
 * Parses a route's query string against its rules: an unknown parameter, a repeated one or a value that breaks
 * its rule is a 422 problem naming every such field (`/status`) and why.
 */
export function parseFilters<K extends string>(
  query: Record<string, unknown>,
  rules: Readonly<Record<K, FilterRule>>,
): Partial<Record<K, FilterValue>> {
  const names = Object.keys(rules) as K[];
  const { values, errors } = readQuery(query, names, `is not a filter of this list (filters: ${names.join(', ')})`, (name, raw) =>
    check(name, raw, rules[name]),
  );
  if (errors.length > 0) throw problem(422, 'invalid-filter', 'The filters are invalid', { errors });
  return values;
}

export const PAGING: Readonly<Record<'limit' | 'offset', FilterRule>> = {
  limit: { kind: 'integer', min: 1, max: 500 },
  offset: { kind: 'integer', min: 0, max: 1_000_000 },
};

export { Where } from '#projections';
