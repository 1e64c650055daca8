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

/** Reopening (new evidence, a review, a victim re-engaging) opens the investigation again. */
export function reopenCase(command: CommandOf<'reopen-case'>, state: CaseState): CaseEvent[] {
  const { caseId, reason, at } = command;
  requireCase(state);
  if (state.status !== 'closed' || state.outcomeCode === undefined) refuse('case-not-closed', 'only a closed case can be reopened');
  return [{ type: T.CaseReopened, data: { caseId, reason, previousOutcomeCode: state.outcomeCode, reopenedAt: at } }];
}
