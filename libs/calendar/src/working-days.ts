import { addDays, hasDateShape, isWeekend, type IsoDate } from './calendar-date.js';
import { isBankHoliday } from './bank-holidays.js';
import { londonDate } from './london-time.js';

/**
 * Working days in England and Wales: Monday to Friday, bank holidays excepted. Pure and deterministic:
 * the same input gives the same answer on any machine, in any time zone, at any time.
 *
 * Dates are ISO dates (`2026-11-20`); an ISO instant (`2026-11-20T07:05:00Z`) is first turned into its
 * Europe/London calendar date, because the Victims' Code is an England and Wales duty.
 */
function toLondonDate(dateOrInstant: string): IsoDate {
  return hasDateShape(dateOrInstant) ? dateOrInstant : londonDate(dateOrInstant);
}

export function isWorkingDay(dateOrInstant: string): boolean {
  const date = toLondonDate(dateOrInstant);
  return !isWeekend(date) && !isBankHoliday(date);
}

/**
 * The Nth working day after the start date; the start date itself never counts, whether or not it is a
 * working day (so 1 working day after a Friday, or after a Saturday, is the Monday). n = 0 gives the start date.
 */
export function addWorkingDays(startDateOrInstant: string, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number >= 0: ${n}`);
  let date = toLondonDate(startDateOrInstant);
  for (let counted = 0; counted < n;) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) counted += 1;
  }
  return date;
}
