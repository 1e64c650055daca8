/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`) and plain arithmetic on them. A date is handled as the UTC
 * midnight of that day, which is only a counting device: no time zone is implied (see london-time.ts).
 */
export type IsoDate = string;

export const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of the date's UTC midnight; throws RangeError for anything but a real calendar date. */
export function dateToDayMs(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatDate(ms) !== date) throw new RangeError(`no such date: ${date}`);
  return ms;
}

/** Shaped like `YYYY-MM-DD`, whether or not such a day exists (tells a date from an instant). */
export function hasDateShape(value: string): boolean {
  return ISO_DATE.test(value);
}

/** A real calendar date `YYYY-MM-DD` (rejects 2027-02-30). */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && formatDate(Date.UTC(...dateParts(value))) === value;
}

function dateParts(date: IsoDate): [number, number, number] {
  const match = ISO_DATE.exec(date);
  return match ? [Number(match[1]), Number(match[2]) - 1, Number(match[3])] : [Number.NaN, Number.NaN, Number.NaN];
}

export function formatDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function ymd(year: number, month: number, day: number): IsoDate {
  return formatDate(Date.UTC(year, month - 1, day));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return formatDate(dateToDayMs(date) + days * DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(dateToDayMs(date)).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekday(date);
  return day === 0 || day === 6;
}

/** Day of month of the last given weekday (0 = Sunday) in a month (1-12). */
export function lastWeekdayOfMonth(year: number, month: number, day: number): number {
  const last = new Date(Date.UTC(year, month, 0)); // day 0 of the next month
  return last.getUTCDate() - ((last.getUTCDay() - day + 7) % 7);
}

/** Day of month of the first given weekday (0 = Sunday) in a month (1-12). */
export function firstWeekdayOfMonth(year: number, month: number, day: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1));
  return 1 + ((day - first.getUTCDay() + 7) % 7);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Last day of a period of calendar months beginning with `start` (Interpretation Act 1978: "month" means
 * calendar month). It ends the day before the corresponding date; where the final month has no
 * corresponding date (a period beginning 30 November), it ends with that month's last day.
 */
export function periodEnd(start: IsoDate, months: number): IsoDate {
  const [year, monthIndex, day] = dateParts(start);
  const target = Date.UTC(year, monthIndex + months, 1);
  const targetYear = new Date(target).getUTCFullYear();
  const targetMonth = new Date(target).getUTCMonth() + 1;
  const lastDay = daysInMonth(targetYear, targetMonth);
  if (day > lastDay) return ymd(targetYear, targetMonth, lastDay);
  return addDays(ymd(targetYear, targetMonth, day), -1);
}
