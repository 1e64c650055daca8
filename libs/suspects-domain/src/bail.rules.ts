import { POLICE_RANKS, type ModelRules, type PoliceRank } from '#contracts';
import { addDays, periodEnd, ukDate } from '#calendar';

/**
 * Pre-charge bail since 28 October 2022 (DOMAIN.md, lifecycle step 4; PACE ss47ZA-47ZM as amended by the
 * Police, Crime, Sentencing and Courts Act 2022): the first period is 3 months, authorised by the custody
 * officer (a sergeant or above); an inspector may extend it to 6 months and a superintendent to 9; beyond 9
 * months only a magistrates' court can. Periods count from the bail start date, in calendar months.
 * The months are data, the operating model's rules in force when the decision is made (ADR 0043), so that the
 * model's next version can change them without touching the decider; the ranks are PACE's.
 */
export type PreChargeBailRule = ModelRules['preChargeBail'];

export interface BailAuthorityStep {
  /** The longest total period (from the bail start date) this step may authorise. */
  readonly upToMonths: number;
  readonly minimumRank: PoliceRank;
  readonly authority: string;
}

/** The first period, and any re-bail within a period already authorised. */
export function initialBail(rule: PreChargeBailRule): BailAuthorityStep {
  return { upToMonths: rule.initialPeriodMonths, minimumRank: 'sergeant', authority: 'the custody officer (a sergeant or above)' };
}

/** Who may authorise bail up to how many months from its start date, lowest step first. */
export function bailAuthority(rule: PreChargeBailRule): readonly BailAuthorityStep[] {
  return [
    initialBail(rule),
    { upToMonths: rule.inspectorLimitMonths, minimumRank: 'inspector', authority: 'an inspector or above' },
    { upToMonths: rule.superintendentLimitMonths, minimumRank: 'superintendent', authority: 'a superintendent or above' },
  ];
}

/** The longest period police may authorise; beyond it, only a magistrates' court. */
export function policeBailLimitMonths(rule: PreChargeBailRule): number {
  return Math.max(...bailAuthority(rule).map((step) => step.upToMonths));
}

export function rankAtLeast(rank: PoliceRank, minimum: PoliceRank): boolean {
  return POLICE_RANKS.indexOf(rank) >= POLICE_RANKS.indexOf(minimum);
}

/** PACE s47ZB(4): the bail start date is the day after the day of arrest (UK civil date). */
export function bailStartDate(arrestedAt: string): string {
  return addDays(ukDate(arrestedAt), 1);
}

/** Last day of a bail period of `months` from the bail start date. */
export function bailLimit(startDate: string, months: number): string {
  return periodEnd(startDate, months);
}

/** The lowest step allowed to authorise bail ending on `endsOn`; undefined when only a court can. */
export function authorityFor(startDate: string, endsOn: string, rule: PreChargeBailRule): BailAuthorityStep | undefined {
  return bailAuthority(rule).find((step) => endsOn <= bailLimit(startDate, step.upToMonths));
}

/** How many days before the last day of bail the officer in the case is reminded to decide (extend, charge, release). */
export const BAIL_EXPIRY_REMINDER_DAYS = 14;

/**
 * A release under investigation has no statutory limit (PACE sets none since 2017, and the 2022 Act added none);
 * the national guidance asks forces to review it regularly. This model's rule: a supervisor (sergeant or above)
 * reviews it and sets the next review no more than 90 days ahead.
 */
export const RUI_REVIEW: { readonly maxDaysAhead: number; readonly minimumRank: PoliceRank } = {
  maxDaysAhead: 90,
  minimumRank: 'sergeant',
};

/** The first review of a release under investigation is due within RUI_REVIEW.maxDaysAhead of the release (UK date). */
export function ruiFirstReviewBy(releasedAt: string): string {
  return addDays(ukDate(releasedAt), RUI_REVIEW.maxDaysAhead);
}

/** Cancelling bail before its end: the custody officer's decision (a sergeant or above), as granting it is. */
export const BAIL_CANCELLATION_RANK: PoliceRank = 'sergeant';
