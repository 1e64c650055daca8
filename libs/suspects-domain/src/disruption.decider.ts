import { SuspectEventTypes as T, type CivilOrder, type DisruptionTactic, type PoliceRank, type SuspectEvent } from '#contracts';
import { periodEnd, ukDate } from '#calendar';
import { rankAtLeast } from './bail.rules.js';
import type { CommandOf } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { requireDate, requireInstant } from './suspect.guards.js';
import type { CivilOrderState, SuspectState } from './suspect.state.js';

/**
 * Shortest fixed term of each civil order (Sexual Offences Act 2003 as amended: an SHPO lasts at least 5
 * years, an SRO at least 2, or either until further order).
 */
export const CIVIL_ORDER_MINIMUM_YEARS: Readonly<Partial<Record<CivilOrder, number>>> = {
  'sexual-harm-prevention-order': 5,
  'sexual-risk-order': 2,
  // Stalking Protection Act 2019 s3. A DAPO (Domestic Abuse Act 2021 Part 3) and an interim SPO (SPA 2019 s5) have no minimum.
  'stalking-protection-order': 2,
};

/** Police actions the law reserves to a rank: a DAPN is given by an inspector or above (Domestic Abuse Act 2021 s22(1), (8)). */
export const DISRUPTION_TACTIC_MINIMUM_RANK: Readonly<Partial<Record<DisruptionTactic, PoliceRank>>> = {
  'domestic-abuse-protection-notice': 'inspector',
};

/** Pillar 2: disrupting the suspect, by tactics of the force's own and by civil orders a court grants. */
export function recordDisruptionTactic(command: CommandOf<'record-disruption-tactic'>): SuspectEvent[] {
  const { caseId, suspectId, tactic, detail, authorisedBy, at } = command;
  const minimum = DISRUPTION_TACTIC_MINIMUM_RANK[tactic];
  if (minimum !== undefined && (authorisedBy === undefined || !rankAtLeast(authorisedBy.rank, minimum))) {
    refuse('rank-too-low', `a ${tactic} is authorised by a ${minimum} or above`, 'authorisedBy.rank');
  }
  return [
    {
      type: T.DisruptionTacticRecorded,
      data: {
        caseId,
        suspectId,
        tactic,
        ...(detail === undefined ? {} : { detail }),
        ...(authorisedBy === undefined ? {} : { authorisedBy }),
        recordedAt: at,
      },
    },
  ];
}

export function applyForCivilOrder(command: CommandOf<'apply-for-civil-order'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, orderId, order, court, at } = command;
  if (state.civilOrders[orderId] !== undefined) {
    refuse('civil-order-already-applied-for', `application ${orderId} is already recorded`, 'orderId');
  }
  if (Object.values(state.civilOrders).some((o) => o.order === order && o.decision === 'pending')) {
    refuse('civil-order-already-applied-for', `an application for a ${order} is already awaiting the court`, 'order');
  }
  return [{ type: T.CivilOrderAppliedFor, data: { caseId, suspectId, orderId, order, court, appliedAt: at } }];
}

function requirePending(state: SuspectState, orderId: string): CivilOrderState {
  const application = state.civilOrders[orderId];
  if (application === undefined) refuse('civil-order-not-found', `no civil order application ${orderId}`, 'orderId');
  if (application.decision !== 'pending') {
    refuse('civil-order-already-decided', `the court has already decided application ${orderId}`, 'orderId');
  }
  return application;
}

export function recordCivilOrderGranted(command: CommandOf<'record-civil-order-granted'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, orderId, expiresOn, at } = command;
  const { order } = requirePending(state, orderId);
  if (expiresOn !== undefined) {
    requireInstant(at, 'at');
    requireDate(expiresOn, 'expiresOn');
    const years = CIVIL_ORDER_MINIMUM_YEARS[order] ?? 0;
    const earliest = years === 0 ? ukDate(at) : periodEnd(ukDate(at), years * 12);
    if (expiresOn < earliest) {
      const least = years === 0 ? 'cannot end before the day it is granted' : `lasts at least ${years} years`;
      refuse('civil-order-too-short', `a ${order} ${least}: to ${earliest} or later`, 'expiresOn');
    }
  }
  return [
    {
      type: T.CivilOrderGranted,
      data: { caseId, suspectId, orderId, order, ...(expiresOn === undefined ? {} : { expiresOn }), grantedAt: at },
    },
  ];
}

export function recordCivilOrderRefused(command: CommandOf<'record-civil-order-refused'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, orderId, at } = command;
  const { order } = requirePending(state, orderId);
  return [{ type: T.CivilOrderRefused, data: { caseId, suspectId, orderId, order, refusedAt: at } }];
}
