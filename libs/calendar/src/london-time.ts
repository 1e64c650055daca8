import { addDays, dateToDayMs, formatDate, lastWeekdayOfMonth, type IsoDate } from './calendar-date.js';
import { instantMs } from './instant.js';

/**
 * Europe/London without a time zone library. Since 1996 British Summer Time (UTC+1) runs from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October; GMT (UTC+0) otherwise. Earlier
 * years followed other rules and are out of scope: the Victims' Code deadlines this serves began in 2021.
 */
const HOUR_MS = 3_600_000;

export function isBritishSummerTime(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear();
  const start = Date.UTC(year, 2, lastWeekdayOfMonth(year, 3, 0), 1);
  const end = Date.UTC(year, 9, lastWeekdayOfMonth(year, 10, 0), 1);
  return ms >= start && ms < end;
}

/** The Europe/London calendar date of an instant: 2026-06-04T23:30Z is Friday 5 June in London (BST). */
export function londonDate(instant: string): IsoDate {
  const ms = instantMs(instant);
  return formatDate(ms + (isBritishSummerTime(ms) ? HOUR_MS : 0));
}

/** UTC instant of 00:00 London time on a date. Midnight is never inside a clock change (they happen at 01:00 UTC). */
function londonMidnightMs(date: IsoDate): number {
  const asUtc = dateToDayMs(date);
  const ifSummer = asUtc - HOUR_MS;
  return isBritishSummerTime(ifSummer) ? ifSummer : asUtc;
}

/**
 * The last millisecond of a London calendar date, as a UTC instant (`...T22:59:59.999Z` in summer). Taken from
 * the next midnight, because the days of the clock changes last 23 and 25 hours.
 */
export function endOfLondonDay(date: IsoDate): string {
  return new Date(londonMidnightMs(addDays(date, 1)) - 1).toISOString();
}
