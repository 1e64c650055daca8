// The England-and-Wales calendar (issue 17, item 5): one home for the date and time arithmetic of bail periods,
// Victims' Code deadlines and every other statutory period. Pure: no clock, no host time zone, no dependency.
export { ISO_INSTANT, instantMs, isBefore, isInstant } from './instant.js';
export {
  DAY_MS,
  addDays,
  dateToDayMs,
  formatDate,
  hasDateShape,
  isIsoDate,
  isWeekend,
  periodEnd,
  weekday,
  ymd,
  type IsoDate,
} from './calendar-date.js';
export { endOfLondonDay, isBritishSummerTime, londonDate } from './london-time.js';
/** The England and Wales civil date of an instant (the bail clock's name for it). */
export { londonDate as ukDate } from './london-time.js';
export { bankHolidays, easterSunday, isBankHoliday } from './bank-holidays.js';
export { addWorkingDays, isWorkingDay } from './working-days.js';
