/** How finely dates survive in an export. */
export const DATE_GRANULARITIES = ['day', 'week', 'month', 'quarter'] as const;
export type DateGranularity = (typeof DATE_GRANULARITIES)[number];

export function isDateGranularity(value: string): value is DateGranularity {
  return (DATE_GRANULARITIES as readonly string[]).includes(value);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A valid-looking date or UTC instant (month 01-12, day 01-31). */
const UTC_OR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?Z)?$/;

/**
 * A date or instant coarsened to the period that contains it (UTC), as a label: day `2026-11-03`, ISO week
 * `2026-W45`, month `2026-11`, quarter `2026-Q4`. A label cannot be mistaken for a precise time. Anything that
 * is not a valid date gives null (never the input: an unparseable value could be anything).
 */
export function coarsenDate(value: string, granularity: DateGranularity): string | null {
  // Fast path (most values): a UTC instant or a date, whose calendar fields can be read off the string.
  if (granularity !== 'week' && UTC_OR_DATE.test(value)) {
    if (granularity === 'day') return value.slice(0, 10);
    if (granularity === 'month') return value.slice(0, 7);
    return `${value.slice(0, 4)}-Q${Math.ceil(Number(value.slice(5, 7)) / 3)}`;
  }
  const ms = DATE_ONLY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  switch (granularity) {
    case 'day':
      return d.toISOString().slice(0, 10);
    case 'month':
      return `${year}-${String(month).padStart(2, '0')}`;
    case 'quarter':
      return `${year}-Q${Math.ceil(month / 3)}`;
    case 'week': {
      // ISO 8601 week: the week with the year's first Thursday is week 1; weeks start on Monday.
      const day = d.getUTCDay() || 7;
      const thursday = new Date(Date.UTC(year, d.getUTCMonth(), d.getUTCDate() + 4 - day));
      const weekYear = thursday.getUTCFullYear();
      const week = Math.ceil(((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
      return `${weekYear}-W${String(week).padStart(2, '0')}`;
    }
  }
}
