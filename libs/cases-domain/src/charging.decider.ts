import { isIsoDate, ukDate } from '#calendar';
import { CPS_REFERENCE_PATTERN, CaseEventTypes as T, THRESHOLD_TEST_CONDITIONS, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireInvestigation, requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';
import { requireActionPlan } from './cps-advice.decider.js';

export { checkCpsActions, completeCpsAction, giveEarlyAdvice, requestEarlyAdvice } from './cps-advice.decider.js';

/**
 * Lifecycle step 6: the charging file and the CPS's decisions (Director's Guidance on Charging, 6th edition; the
 * National File Standard; docs/cps-rules.md). A file names the suspects of the case it asks a decision on; each
 * suspect has at most one file awaiting a decision.
 */
export function submitChargingFile(command: CommandOf<'submit-charging-file'>, state: CaseState): CaseEvent[] {
  const { caseId, cpsReference, at } = command;
  requireInvestigation(state);
  requirePattern(cpsReference, CPS_REFERENCE_PATTERN, 'cpsReference', 'a CPS reference');
  if (state.suspectIds.length === 0) refuse('no-suspect-linked', 'a charging file needs a suspect linked to the case');
  const suspectIds = [...new Set(command.suspectIds ?? state.suspectIds)];
  if (suspectIds.length === 0) refuse('no-suspect-linked', 'a charging file names at least one suspect of the case', 'suspectIds');
  const stranger = suspectIds.find((id) => !state.suspectIds.includes(id));
  if (stranger !== undefined) refuse('suspect-not-linked', `suspect ${stranger} is not linked to this case`, 'suspectIds');
  const waiting = suspectIds.find((id) => state.cps.files[id]?.status === 'awaiting-decision');
  if (waiting !== undefined) {
    refuse(
      'charging-file-already-submitted',
      `charging file ${state.cps.files[waiting]!.cpsReference} awaits a decision on suspect ${waiting}`,
    );
  }
  const offenceCode = state.offenceCode;
  return [
    { type: T.ChargingFileSubmitted, data: { caseId, cpsReference, submittedAt: at, suspectIds, ...(offenceCode ? { offenceCode } : {}) } },
  ];
}

/** The case-level decision on a whole file awaiting a decision (every suspect it names), without the test applied. */
export function recordChargingDecision(command: CommandOf<'record-charging-decision'>, state: CaseState): CaseEvent[] {
  const { caseId, cpsReference, decision, at } = command;
  requireInvestigation(state);
  if (state.pendingChargingFile === undefined) refuse('no-charging-file-submitted', 'no charging file awaits a decision');
  const awaiting = Object.values(state.cps.files).some((f) => f.status === 'awaiting-decision' && f.cpsReference === cpsReference);
  if (!awaiting) {
    refuse('cps-reference-mismatch', `the charging file awaiting a decision is ${state.pendingChargingFile}`, 'cpsReference');
  }
  return [{ type: T.ChargingDecisionMade, data: { caseId, cpsReference, decision, decidedAt: at } }];
}

/**
 * The CPS's decision on one suspect of a file awaiting a decision, with the test applied. The Threshold Test only to
 * charge, with every one of its conditions met and the day by which the Full Code Test is to be applied; further
 * investigation requested only with an action plan, and an action plan only then or after a Threshold Test charge.
 */
export function recordSuspectChargingDecision(command: CommandOf<'record-suspect-charging-decision'>, state: CaseState): CaseEvent[] {
  const { caseId, suspectId, cpsReference, test, decision, thresholdConditions, fullCodeReviewBy, at } = command;
  requireInvestigation(state);
  const file = state.cps.files[suspectId];
  if (file?.status !== 'awaiting-decision') {
    refuse('no-charging-file-submitted', `no charging file awaits a decision on suspect ${suspectId}`, 'suspectId');
  }
  if (file.cpsReference !== cpsReference) {
    refuse('cps-reference-mismatch', `the charging file awaiting a decision on this suspect is ${file.cpsReference}`, 'cpsReference');
  }
  const threshold = test === 'threshold';
  if (threshold) {
    if (decision !== 'charge') refuse('threshold-test-only-to-charge', 'the Threshold Test is applied only to charge a suspect', 'test');
    const unmet = THRESHOLD_TEST_CONDITIONS.filter((c) => !(thresholdConditions ?? []).includes(c));
    if (unmet.length > 0) {
      refuse(
        'threshold-conditions-not-met',
        `the Threshold Test needs every condition met; not met: ${unmet.join(', ')}`,
        'thresholdConditions',
      );
    }
    if (fullCodeReviewBy === undefined) {
      refuse(
        'full-code-review-date-required',
        'a Threshold Test decision sets the day by which the Full Code Test is applied',
        'fullCodeReviewBy',
      );
    }
    if (!isIsoDate(fullCodeReviewBy) || fullCodeReviewBy <= ukDate(at)) {
      refuse(
        'invalid-review-date',
        `the Full Code Test review is due on a day after the decision: ${fullCodeReviewBy}`,
        'fullCodeReviewBy',
      );
    }
  } else if (thresholdConditions !== undefined || fullCodeReviewBy !== undefined) {
    refuse(
      'threshold-fields-not-expected',
      'Threshold Test conditions and a review date go only with the Threshold Test',
      'thresholdConditions',
    );
  }
  const plan = command.actionPlan;
  if (decision === 'further-investigation-requested' && (plan === undefined || plan.length === 0)) {
    refuse('action-plan-required', 'further investigation is requested with an action plan', 'actionPlan');
  }
  if (plan !== undefined && decision !== 'further-investigation-requested' && !threshold) {
    refuse('action-plan-not-expected', 'an action plan goes with further investigation requested or a Threshold Test charge', 'actionPlan');
  }
  const actionPlan = plan === undefined ? undefined : requireActionPlan(plan, state, at);
  const offenceCode = state.offenceCode;
  return [
    {
      type: T.SuspectChargingDecisionMade,
      data: {
        caseId,
        suspectId,
        cpsReference,
        ...(offenceCode ? { offenceCode } : {}),
        test,
        decision,
        ...(threshold ? { thresholdConditions: [...THRESHOLD_TEST_CONDITIONS], fullCodeReviewBy } : {}),
        ...(actionPlan && actionPlan.length > 0 ? { actionPlan } : {}),
        fileSubmittedAt: file.submittedAt,
        decidedAt: at,
      },
    },
  ];
}

/**
 * The CPS finalises a file administratively (not a prosecution decision): every suspect's file of that reference still
 * open, awaiting a decision or the police's answer to an action plan. The police may submit a file again afterwards.
 */
export function finaliseChargingFile(command: CommandOf<'finalise-charging-file'>, state: CaseState): CaseEvent[] {
  const { caseId, cpsReference, reason, at } = command;
  requireInvestigation(state);
  const suspectIds = Object.keys(state.cps.files).filter((id) => state.cps.files[id]!.cpsReference === cpsReference);
  if (suspectIds.length === 0) refuse('no-open-charging-file', `no charging file ${cpsReference} is open on this case`, 'cpsReference');
  return [{ type: T.ChargingFileAdministrativelyFinalised, data: { caseId, cpsReference, suspectIds, reason, finalisedAt: at } }];
}
