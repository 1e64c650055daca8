/**
 * Pure calendar arithmetic for statutory periods. No clock and no host time zone: instants must carry an
 * offset, dates are ISO `YYYY-MM-DD`, and the UK civil date is computed from the UK summer-time rule.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** An ISO 8601 instant with an explicit offset (without one, `Date.parse` would use the host's zone). */
export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** A real calendar date `YYYY-MM-DD` (rejects 2027-02-30). */
export function isIsoDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year ?? NaN, month ?? NaN, day ?? NaN];
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Day of month of the last Sunday of a month (1-12) of a year. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/**
 * The civil date in England and Wales of an instant. British Summer Time runs from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October (Summer Time Order 2002).
 */
export function ukDate(instant: string): string {
  const ms = Date.parse(instant);
  const year = new Date(ms).getUTCFullYear();
  const summerStarts = Date.UTC(year, 2, lastSunday(year, 3), 1);
  const summerEnds = Date.UTC(year, 9, lastSunday(year, 10), 1);
  return format(ms >= summerStarts && ms < summerEnds ? ms + 3_600_000 : ms);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return format(Date.UTC(year, month - 1, day) + days * DAY_MS);
}

/**
 * Last day of a period of calendar months beginning with `start` (Interpretation Act 1978: "month" means
 * calendar month). It ends the day before the corresponding date; where the final month has no
 * corresponding date (a period beginning 30 November), it ends with that month's last day.
 */
export function periodEnd(start: string, months: number): string {
  const [year, month, day] = parts(start);
  const target = Date.UTC(year, month - 1 + months, 1);
  const targetYear = new Date(target).getUTCFullYear();
  const targetMonth = new Date(target).getUTCMonth() + 1;
  const lastDay = daysInMonth(targetYear, targetMonth);
  if (day > lastDay) return format(Date.UTC(targetYear, targetMonth - 1, lastDay));
  return addDays(format(Date.UTC(targetYear, targetMonth - 1, day)), -1);
}

/** Instants compared as points in time, whatever their offsets. */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
