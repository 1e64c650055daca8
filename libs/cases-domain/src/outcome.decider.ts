import {
  CaseEventTypes as T,
  CPS_REFERENCE_PATTERN,
  isIndictableOnly,
  notApplicableOutcome,
  outcomeType,
  type CaseEvent,
} from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireCase, requireInvestigation, requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';

/**
 * Lifecycle step 7: every recorded crime closes with a Home Office outcome type; cases can be reopened. The rules
 * (docs/outcome-rules.md): a named suspect for every outcome but 14, 18 and 20; no penalty notice, cannabis/khat
 * warning or community resolution for rape; a caution for an indictable-only offence only with the CPS's
 * agreement recorded; outcome 1 only once a suspect of the case has been charged; outcome 19 never.
 */
export function recordOutcome(command: CommandOf<'record-outcome'>, state: CaseState): CaseEvent[] {
  const { caseId, outcomeCode, cpsAgreementReference, at } = command;
  const notApplicable = notApplicableOutcome(outcomeCode);
  if (notApplicable) refuse('outcome-not-applicable', `${notApplicable.reason}`, 'outcomeCode');
  const outcome = outcomeType(outcomeCode);
  if (!outcome) refuse('unknown-outcome-code', `${outcomeCode} is not a Home Office outcome type (1-22)`, 'outcomeCode');
  requireInvestigation(state);
  if (outcome.needsSuspect && state.suspectIds.length === 0) {
    refuse('outcome-needs-suspect', `outcome ${outcomeCode} (${outcome.label}) needs a named suspect linked to the case`, 'outcomeCode');
  }
  const offence = state.offence;
  if (offence !== undefined && outcome.notFor?.(offence)) {
    refuse('outcome-not-open-to-offence', `outcome ${outcomeCode} (${outcome.label}) is not open to ${offence}`, 'outcomeCode');
  }
  const needsCps = outcome.cautionOrWarning === true && offence !== undefined && isIndictableOnly(offence);
  if (needsCps && cpsAgreementReference === undefined) {
    refuse(
      'caution-needs-cps-agreement',
      `a caution (outcome ${outcomeCode}) for the indictable-only ${offence} needs the CPS's agreement recorded`,
      'cpsAgreementReference',
    );
  }
  if (cpsAgreementReference !== undefined && !needsCps) {
    refuse(
      'cps-agreement-not-expected',
      `a CPS agreement is recorded only for a caution for an indictable-only offence`,
      'cpsAgreementReference',
    );
  }
  if (cpsAgreementReference !== undefined)
    requirePattern(cpsAgreementReference, CPS_REFERENCE_PATTERN, 'cpsAgreementReference', 'a CPS reference');
  if (outcomeCode === 1 && !(command.chargedSuspectIds ?? []).some((id) => state.suspectIds.includes(id))) {
    refuse('outcome-needs-charge', 'outcome 1 (charged/summonsed) needs a charge recorded for a suspect of the case', 'outcomeCode');
  }
  return [
    { type: T.OutcomeRecorded, data: { caseId, outcomeCode, recordedAt: at, ...(cpsAgreementReference ? { cpsAgreementReference } : {}) } },
  ];
}

/**
 * Reopening (new evidence, a review, a victim re-engaging) opens the investigation again. Reopening for a Victims'
 * Right to Review needs that review decided with the original decision overturned.
 */
export function reopenCase(command: CommandOf<'reopen-case'>, state: CaseState): CaseEvent[] {
  const { caseId, reason, at } = command;
  requireCase(state);
  if (state.status !== 'closed' || state.outcomeCode === undefined) refuse('case-not-closed', 'only a closed case can be reopened');
  if (reason === 'victim-right-to-review' && !state.reviews.some((r) => r.result === 'original-decision-overturned')) {
    refuse('no-review-overturned', "reopening for a Victims' Right to Review needs a review that overturned the decision", 'reason');
  }
  return [{ type: T.CaseReopened, data: { caseId, reason, previousOutcomeCode: state.outcomeCode, reopenedAt: at } }];
}

/** Outcome 9: the CPS decided that prosecution is not in the public interest (a CPS decision, reviewed by the CPS). */
const CPS_OUTCOMES: ReadonlySet<number> = new Set([9]);

/**
 * Victims' Right to Review (Victims' Code right 7): a victim may ask for a decision not to charge to be reviewed. The
 * police scheme reviews the police's decision: the case closed with an outcome other than charge (1) and other than
 * the CPS's own (9). The CPS scheme reviews the CPS's: a charging decision of no further action, or outcome 9. One
 * review of each scheme is open at a time; the request is recorded whenever it is made (the schemes ask for it within
 * three months but consider later ones, so lateness is for the reviewer, not a refusal).
 */
export function requestRightToReview(command: CommandOf<'request-right-to-review'>, state: CaseState): CaseEvent[] {
  const { caseId, reviewId, victimId, scheme, at } = command;
  requireCase(state);
  if (command.victimCaseId !== caseId) refuse('victim-not-of-case', 'the review is asked for by a victim of this case', 'victimId');
  if (state.status !== 'closed' || state.outcomeCode === undefined) {
    refuse('case-not-closed', "a Victims' Right to Review is of a decision not to charge: the case has no outcome", 'scheme');
  }
  const cpsDecided = state.chargingDecision === 'no-further-action' || CPS_OUTCOMES.has(state.outcomeCode);
  if (scheme === 'cps' && !cpsDecided) {
    refuse('no-cps-decision-to-review', 'the CPS scheme reviews a CPS decision not to charge, and the case has none', 'scheme');
  }
  if (scheme === 'police' && (state.outcomeCode === 1 || CPS_OUTCOMES.has(state.outcomeCode))) {
    refuse(
      'no-police-decision-to-review',
      `the police scheme reviews a police decision not to charge; outcome ${state.outcomeCode} is not one`,
      'scheme',
    );
  }
  if (state.reviews.some((r) => r.reviewId === reviewId)) return [];
  if (state.reviews.some((r) => r.scheme === scheme && r.result === undefined)) {
    refuse('review-already-open', `a ${scheme} review of this decision is already open`, 'scheme');
  }
  return [
    {
      type: T.RightToReviewRequested,
      data: { caseId, reviewId, victimId, scheme, outcomeCode: state.outcomeCode, requestedAt: at },
    },
  ];
}

export function decideRightToReview(command: CommandOf<'decide-right-to-review'>, state: CaseState): CaseEvent[] {
  const { caseId, reviewId, result, at } = command;
  requireCase(state);
  const review = state.reviews.find((r) => r.reviewId === reviewId);
  if (!review) refuse('unknown-review', `no Victims' Right to Review ${reviewId} is open on this case`, 'reviewId');
  if (review.result !== undefined) {
    if (review.result === result) return [];
    refuse('review-already-decided', `the review was already decided: ${review.result}`, 'result');
  }
  return [{ type: T.RightToReviewDecided, data: { caseId, reviewId, result, decidedAt: at } }];
}
