import { addDays, addWorkingDays, endOfLondonDay, londonDate } from '#calendar';
import type { ModelRules } from '#contracts';

/**
 * Victims' Code right 6: update within N working days, fewer under enhanced rights (5 and 1 in the baseline model).
 * The numbers are the operating model's rules in force when the trigger happened (ADR 0043).
 */
export type UpdateDeadlineRule = ModelRules['victimUpdateDeadline'];

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
export function updateDeadline(triggeredAt: string, enhancedRights: boolean, rule: UpdateDeadlineRule): UpdateDeadline {
  const workingDays = enhancedRights ? rule.enhancedWorkingDays : rule.standardWorkingDays;
  const dueDate = addWorkingDays(triggeredAt, workingDays);
  return { workingDays, dueDate, dueBy: endOfLondonDay(dueDate) };
}

/**
 * The end of a period of the update frequency agreed with the victim (every `everyDays` days): the end of the day
 * `everyDays` days after the London date the period began, London time, like the deadlines above.
 */
export function agreedUpdateDueBy(periodStartedAt: string, everyDays: number): string {
  return endOfLondonDay(addDays(londonDate(periodStartedAt), everyDays));
}
