import { CPS_REFERENCE_PATTERN, CaseEventTypes as T, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireInvestigation, requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';

/** Lifecycle step 6: CPS early advice and the charging decision (Director's Guidance on Charging, 6th edition). */
export function requestEarlyAdvice(command: CommandOf<'request-early-advice'>, state: CaseState): CaseEvent[] {
  requireInvestigation(state);
  return [{ type: T.CpsEarlyAdviceRequested, data: { caseId: command.caseId, requestedAt: command.at } }];
}

export function submitChargingFile(command: CommandOf<'submit-charging-file'>, state: CaseState): CaseEvent[] {
  const { caseId, cpsReference, at } = command;
  requireInvestigation(state);
  requirePattern(cpsReference, CPS_REFERENCE_PATTERN, 'cpsReference', 'a CPS reference');
  if (state.suspectIds.length === 0) refuse('no-suspect-linked', 'a charging file needs a suspect linked to the case');
  if (state.pendingChargingFile !== undefined) {
    refuse('charging-file-already-submitted', `charging file ${state.pendingChargingFile} awaits a decision`);
  }
  return [{ type: T.ChargingFileSubmitted, data: { caseId, cpsReference, submittedAt: at } }];
}

export function recordChargingDecision(command: CommandOf<'record-charging-decision'>, state: CaseState): CaseEvent[] {
  const { caseId, cpsReference, decision, at } = command;
  requireInvestigation(state);
  if (state.pendingChargingFile === undefined) refuse('no-charging-file-submitted', 'no charging file awaits a decision');
  if (cpsReference !== state.pendingChargingFile) {
    refuse('cps-reference-mismatch', `the charging file awaiting a decision is ${state.pendingChargingFile}`, 'cpsReference');
  }
  return [{ type: T.ChargingDecisionMade, data: { caseId, cpsReference, decision, decidedAt: at } }];
}
