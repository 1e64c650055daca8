import { SuspectEventTypes as T, type Authoriser, type ModelInForce, type SuspectEvent } from '#contracts';
import {
  BAIL_CANCELLATION_RANK,
  BAIL_EXPIRY_REMINDER_DAYS,
  RUI_REVIEW,
  authorityFor,
  bailLimit,
  bailStartDate,
  initialBail,
  policeBailLimitMonths,
  rankAtLeast,
  type BailAuthorityStep,
} from './bail.rules.js';
import { addDays, dateToDayMs, DAY_MS, endOfLondonDay, ukDate } from '#calendar';
import type { CommandOf } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { requireDate, requireInstant, requireNotBefore, requireNotCharged } from './suspect.guards.js';
import type { BailPeriod, SuspectState } from './suspect.state.js';

/** Pillar 1: pre-charge bail, its statutory periods and authorising ranks (bail.rules.ts), and its conditions. */
function requireRank(authoriser: Authoriser, step: BailAuthorityStep, endsOn: string): void {
  if (!rankAtLeast(authoriser.rank, step.minimumRank)) {
    refuse('rank-too-low', `bail to ${endsOn} needs ${step.authority}; a ${authoriser.rank} cannot authorise it`, 'authorisedBy.rank');
  }
}

/** The victim's views on conditions are sought before the decision, where practicable (so: optional). */
function victimViews(soughtAt: string | undefined, decidedAt: string) {
  if (soughtAt === undefined) return { victimViewsSought: false };
  requireInstant(soughtAt, 'victimViewsSoughtAt');
  requireNotBefore(decidedAt, soughtAt, 'victimViewsSoughtAt', 'cannot be after the decision');
  return { victimViewsSought: true, victimViewsSoughtAt: soughtAt };
}

function requireOnBail(state: SuspectState): BailPeriod {
  if (state.status !== 'on-bail' || state.bail === undefined) refuse('not-on-bail', 'the suspect is not on pre-charge bail');
  return state.bail;
}

function requireLater(endsOn: string, bail: BailPeriod): void {
  requireDate(endsOn, 'endsOn');
  if (endsOn <= bail.endsOn) refuse('bail-not-extended', `endsOn must be after the current end of bail, ${bail.endsOn}`, 'endsOn');
}

export function grantPreChargeBail(command: CommandOf<'grant-pre-charge-bail'>, state: SuspectState, model: ModelInForce): SuspectEvent[] {
  const { caseId, suspectId, authorisedBy, conditions, at } = command;
  const initial = initialBail(model.rules.preChargeBail);
  requireNotCharged(state);
  if (state.status !== 'in-custody') refuse('not-in-custody', 'bail is granted on release from custody');
  requireInstant(at, 'at');
  // Re-bailed after an arrest while on bail (PACE s46A): the running period continues, it does not restart.
  const startDate = state.bail?.startDate ?? bailStartDate(state.lastArrestedAt ?? at);
  const limit = state.bail?.endsOn ?? bailLimit(startDate, initial.upToMonths);
  const endsOn = command.endsOn ?? limit;
  requireDate(endsOn, 'endsOn');
  if (endsOn < ukDate(at)) refuse('invalid-time', 'endsOn cannot be before the day of release', 'endsOn');
  if (endsOn > limit) {
    const why = state.bail ? 'the bail period already authorised ends' : `the first bail period is ${initial.upToMonths} months, ending`;
    refuse('bail-period-too-long', `${why} on ${limit}: extend it to go further`, 'endsOn');
  }
  requireRank(authorisedBy, initial, endsOn);
  return [
    {
      type: T.PreChargeBailGranted,
      data: {
        caseId,
        suspectId,
        bailStartDate: startDate,
        bailEndsOn: endsOn,
        authorisedBy,
        conditions,
        ...victimViews(command.victimViewsSoughtAt, at),
        bailedAt: at,
      },
    },
  ];
}

export function extendBail(command: CommandOf<'extend-bail'>, state: SuspectState, model: ModelInForce): SuspectEvent[] {
  const rule = model.rules.preChargeBail;
  const { caseId, suspectId, authorisedBy, endsOn, at } = command;
  const bail = requireOnBail(state);
  requireInstant(at, 'at');
  if (ukDate(at) > bail.endsOn) refuse('bail-lapsed', `bail ended on ${bail.endsOn}; a lapsed bail cannot be extended`, 'at');
  requireLater(endsOn, bail);
  const step = authorityFor(bail.startDate, endsOn, rule);
  if (step === undefined) {
    const months = policeBailLimitMonths(rule);
    const limit = bailLimit(bail.startDate, months);
    refuse('court-authority-required', `bail beyond ${limit} (${months} months) needs a magistrates' court`, 'endsOn');
  }
  requireRank(authorisedBy, step, endsOn);
  return [
    {
      type: T.BailExtended,
      data: { caseId, suspectId, previousEndsOn: bail.endsOn, bailEndsOn: endsOn, authorisedBy, extendedAt: at },
    },
  ];
}

/**
 * A magistrates' court extends bail beyond what police may authorise. The application is made before bail
 * ends and bail continues until it is decided, so the decision date is not checked against the end of bail.
 */
export function recordCourtBailExtension(
  command: CommandOf<'record-court-bail-extension'>,
  state: SuspectState,
  model: ModelInForce,
): SuspectEvent[] {
  const rule = model.rules.preChargeBail;
  const { caseId, suspectId, court, endsOn, at } = command;
  const bail = requireOnBail(state);
  requireLater(endsOn, bail);
  if (authorityFor(bail.startDate, endsOn, rule) !== undefined) {
    const months = policeBailLimitMonths(rule);
    refuse('within-police-authority', `bail to ${endsOn} is within ${months} months: police extend it, not a court`, 'endsOn');
  }
  return [
    {
      type: T.BailExtendedByCourt,
      data: { caseId, suspectId, previousEndsOn: bail.endsOn, bailEndsOn: endsOn, court, extendedAt: at },
    },
  ];
}

export function changeBailConditions(command: CommandOf<'change-bail-conditions'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, conditions, at } = command;
  const bail = requireOnBail(state);
  requireInstant(at, 'at');
  const views = victimViews(command.victimViewsSoughtAt, at);
  // The same conditions again are a retry, not a change the victim must be told about.
  if (conditions.length === bail.conditions.length && conditions.every((c, i) => c === bail.conditions[i])) return [];
  return [{ type: T.BailConditionsChanged, data: { caseId, suspectId, conditions, ...views, changedAt: at } }];
}

/** The police cancel bail before its end (its conditions no longer necessary and proportionate, PACE s50A). */
export function cancelBail(command: CommandOf<'cancel-bail'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, authorisedBy, grounds, at } = command;
  const bail = requireOnBail(state);
  requireInstant(at, 'at');
  if (!rankAtLeast(authorisedBy.rank, BAIL_CANCELLATION_RANK)) {
    refuse('rank-too-low', `cancelling bail needs a ${BAIL_CANCELLATION_RANK} or above`, 'authorisedBy.rank');
  }
  return [{ type: T.BailCancelled, data: { caseId, suspectId, previousEndsOn: bail.endsOn, grounds, authorisedBy, cancelledAt: at } }];
}

/**
 * The bail timer's check at `now` (UK dates): within the reminder window of the last day of bail, the reminder (once
 * per end date); past the last day with no extension recorded, the lapse, timed at the end of that day. Released under
 * investigation past the day its review was due by, the review overdue (once per due date). Anything else records
 * nothing (the timer may fire late or twice).
 */
export function checkBail(command: CommandOf<'check-bail'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, now } = command;
  requireInstant(now, 'now');
  const today = ukDate(now);
  if (state.status === 'released-under-investigation') {
    const due = state.ruiNextReviewBy;
    if (due === undefined || today <= due || state.ruiOverdueFor === due) return [];
    return [{ type: T.ReleaseUnderInvestigationReviewOverdue, data: { caseId, suspectId, reviewDueBy: due, detectedAt: now } }];
  }
  if (state.status !== 'on-bail' || state.bail === undefined) return [];
  const { endsOn, remindedFor } = state.bail;
  if (today > endsOn) {
    return [{ type: T.BailLapsed, data: { caseId, suspectId, bailEndsOn: endsOn, lapsedAt: endOfLondonDay(endsOn), detectedAt: now } }];
  }
  if (remindedFor !== endsOn && today >= addDays(endsOn, -BAIL_EXPIRY_REMINDER_DAYS)) {
    const daysLeft = Math.round((dateToDayMs(endsOn) - dateToDayMs(today)) / DAY_MS);
    return [{ type: T.BailExpiryApproaching, data: { caseId, suspectId, bailEndsOn: endsOn, daysLeft, noticedAt: now } }];
  }
  return [];
}

/** A supervisor reviews a release under investigation and sets the next review (RUI_REVIEW). */
export function reviewReleaseUnderInvestigation(
  command: CommandOf<'review-release-under-investigation'>,
  state: SuspectState,
): SuspectEvent[] {
  const { caseId, suspectId, reviewedBy, nextReviewBy, at } = command;
  if (state.status !== 'released-under-investigation') {
    refuse('not-released-under-investigation', 'the suspect is not released under investigation');
  }
  requireInstant(at, 'at');
  requireDate(nextReviewBy, 'nextReviewBy');
  if (!rankAtLeast(reviewedBy.rank, RUI_REVIEW.minimumRank)) {
    refuse('rank-too-low', `a release under investigation is reviewed by a ${RUI_REVIEW.minimumRank} or above`, 'reviewedBy.rank');
  }
  const today = ukDate(at);
  if (nextReviewBy <= today || nextReviewBy > addDays(today, RUI_REVIEW.maxDaysAhead)) {
    refuse('invalid-review-date', `the next review is after today and within ${RUI_REVIEW.maxDaysAhead} days`, 'nextReviewBy');
  }
  return [{ type: T.ReleaseUnderInvestigationReviewed, data: { caseId, suspectId, reviewedBy, nextReviewBy, reviewedAt: at } }];
}
