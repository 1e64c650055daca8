import { CaseEventTypes as T, outcomeType, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireCase, requireInvestigation } from './case.guards.js';
import type { CaseState } from './case.state.js';

/** Lifecycle step 7: every recorded crime closes with a Home Office outcome type; cases can be reopened. */
export function recordOutcome(command: CommandOf<'record-outcome'>, state: CaseState): CaseEvent[] {
  const { caseId, outcomeCode, at } = command;
  const outcome = outcomeType(outcomeCode);
  if (!outcome) refuse('unknown-outcome-code', `${outcomeCode} is not a Home Office outcome type (1-18, 20-22)`, 'outcomeCode');
  requireInvestigation(state);
  if (outcome.needsSuspect && state.suspectIds.length === 0) {
    refuse('outcome-needs-suspect', `outcome ${outcomeCode} (${outcome.label}) needs a suspect linked to the case`, 'outcomeCode');
  }
  return [{ type: T.OutcomeRecorded, data: { caseId, outcomeCode, recordedAt: at } }];
}

/** Reopening (new evidence, a review, a victim re-engaging) opens the investigation again. */
export function reopenCase(command: CommandOf<'reopen-case'>, state: CaseState): CaseEvent[] {
  const { caseId, reason, at } = command;
  requireCase(state);
  if (state.status !== 'closed' || state.outcomeCode === undefined) refuse('case-not-closed', 'only a closed case can be reopened');
  return [{ type: T.CaseReopened, data: { caseId, reason, previousOutcomeCode: state.outcomeCode, reopenedAt: at } }];
}
