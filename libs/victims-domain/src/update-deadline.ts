import { addWorkingDays, endOfLondonDay } from '#calendar';

/** Victims' Code right 6: update within 5 working days, 1 working day under enhanced rights. */
export const UPDATE_WORKING_DAYS = { standard: 5, enhanced: 1 } as const;

export interface UpdateDeadline {
  readonly workingDays: number;
  /** The last day to give the update, a Europe/London date. */
  readonly dueDate: string;
  /** The last instant of that day in London, as UTC: the update is on time if given at or before it. */
  readonly dueBy: string;
}

/**
 * The deadline convention: the trigger instant is turned into its Europe/London calendar date; the deadline
 * is the END of the Nth working day AFTER that date (23:59:59.999 London time).
 * Why: "within N working days" is counted like other statutory periods, the day of the event excluded, so
 * a trigger late in the day never loses the officer part of a day, and the victim is told a plain date
 * ("by the end of Monday"). The London date, not the UTC date, because an arrest at 00:30 BST on Friday
 * happened on Friday for everyone involved, though it is still Thursday in UTC.
 */
export function updateDeadline(triggeredAt: string, enhancedRights: boolean): UpdateDeadline {
  const workingDays = enhancedRights ? UPDATE_WORKING_DAYS.enhanced : UPDATE_WORKING_DAYS.standard;
  const dueDate = addWorkingDays(triggeredAt, workingDays);
  return { workingDays, dueDate, dueBy: endOfLondonDay(dueDate) };
}
