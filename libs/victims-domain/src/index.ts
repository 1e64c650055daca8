// The victims context's pure domain (issue 3, pillar 3): decider, update-duty timers, working-day calendar.
export * from './victim.commands.js';
export * from './victim.errors.js';
export * from './victim.state.js';
export * from './victim.decider.js';
export * from './update-deadline.js';
export { isWorkingDay, addWorkingDays } from './working-days.js';
export { bankHolidays, easterSunday, isBankHoliday } from './bank-holidays.js';
export { londonDate, endOfLondonDay, isBritishSummerTime } from './london-time.js';
export type { IsoDate } from './calendar-date.js';
