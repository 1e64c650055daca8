import { endOfLondonDay } from '#calendar';
import { CIVIL_ORDERS, SuspectEventTypes as T, type DisruptionOption, type SuspectEvent } from '#contracts';
import type { CommandOf } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { requireInstant, requireNotBefore } from './suspect.guards.js';
import type { SuspectState } from './suspect.state.js';

/** Whether a disruption option is a court order (applied for, then granted or refused) rather than a police action. */
export function isCourtOrder(option: DisruptionOption): boolean {
  return (CIVIL_ORDERS as readonly string[]).includes(option);
}

/**
 * From a match to a decision (issue 13, docs/disruption.md): a supervisor reviews the flagged repeat suspect; the
 * review ends in one recorded disruption decision. A later review (new information) may lead to a new decision.
 */
export function reviewRepeatSuspectFlag(command: CommandOf<'review-repeat-suspect-flag'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, reviewId, summary, at } = command;
  if (!state.repeatSuspect) refuse('repeat-flag-not-raised', 'the suspect is not flagged as a repeat suspect');
  if (state.flagReview?.reviewId === reviewId) refuse('flag-review-already-recorded', `review ${reviewId} is already recorded`);
  return [{ type: T.RepeatSuspectFlagReviewed, data: { caseId, suspectId, reviewId, summary, reviewedAt: at } }];
}

/** The decision that ends the current flag's latest review: the tactics chosen, or the reason none is. */
export function recordDisruptionDecision(command: CommandOf<'record-disruption-decision'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, tactics, reason, at } = command;
  if (!state.repeatSuspect) refuse('repeat-flag-not-raised', 'the suspect is not flagged as a repeat suspect');
  const review = state.flagReview;
  if (review === undefined) refuse('repeat-flag-not-reviewed', 'a disruption decision follows a review of the repeat-suspect flag');
  if (review.decided) refuse('disruption-already-decided', `review ${review.reviewId} has already ended in a decision: review again first`);
  if (new Set(tactics).size !== tactics.length) refuse('invalid-disruption-decision', 'a tactic is named twice', 'tactics');
  if (tactics.length === 0 && reason === undefined) {
    refuse('invalid-disruption-decision', 'a decision to use no tactic records the reason', 'reason');
  }
  return [
    {
      type: T.DisruptionDecisionRecorded,
      data: { caseId, suspectId, reviewId: review.reviewId, tactics, ...(reason === undefined ? {} : { reason }), decidedAt: at },
    },
  ];
}

/**
 * A breach of a court order (an offence: DAA 2021 s39, SPA 2019 s8, SOA 2003 ss103I and 122H, Sentencing Act 2020
 * s354): only of an order granted and in force when it happened (from its grant to the end of its last day, UK time).
 */
export function recordCivilOrderBreach(command: CommandOf<'record-civil-order-breach'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, breachId, orderId, breachedAt, response, detail, at } = command;
  const order = state.civilOrders[orderId];
  if (order === undefined) refuse('civil-order-not-found', `no civil order ${orderId}`, 'orderId');
  if (state.breachIds?.includes(breachId)) refuse('breach-already-recorded', `breach ${breachId} is already recorded`);
  requireInstant(breachedAt, 'breachedAt');
  requireNotBefore(at, breachedAt, 'breachedAt', 'must not be after the breach is recorded');
  if (order.decision !== 'granted' || order.grantedAt === undefined) {
    refuse('civil-order-not-in-force', `order ${orderId} was not granted (${order.decision}): only an order in force is breached`);
  }
  if (Date.parse(breachedAt) < Date.parse(order.grantedAt)) {
    refuse('civil-order-not-in-force', `the ${order.order} was granted at ${order.grantedAt}, after the breach`, 'breachedAt');
  }
  if (order.expiresOn !== undefined && Date.parse(breachedAt) > Date.parse(endOfLondonDay(order.expiresOn))) {
    refuse('civil-order-not-in-force', `the ${order.order} ended on ${order.expiresOn}, before the breach`, 'breachedAt');
  }
  return [
    {
      type: T.CivilOrderBreached,
      data: {
        caseId,
        suspectId,
        breachId,
        orderId,
        order: order.order,
        breachedAt,
        response,
        ...(detail === undefined ? {} : { detail }),
        recordedAt: at,
      },
    },
  ];
}
