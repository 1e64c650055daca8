import { assertNever } from '#contracts';
import type { Decider, ModelInForce, SuspectEvent } from '#contracts';
import {
  cancelBail,
  changeBailConditions,
  checkBail,
  extendBail,
  grantPreChargeBail,
  recordCourtBailExtension,
  reviewReleaseUnderInvestigation,
} from './bail.decider.js';
import {
  arrangeVoluntaryInterview,
  arrestSuspect,
  chargeSuspect,
  recordInterview,
  releaseNoFurtherAction,
  releaseUnderInvestigation,
} from './custody.decider.js';
import { applyForCivilOrder, recordCivilOrderGranted, recordCivilOrderRefused, recordDisruptionTactic } from './disruption.decider.js';
import {
  clearRepeatSuspectFlag,
  reviewRepeatSuspectCheck,
  identifySuspect,
  raiseRepeatSuspectFlag,
  recordHistoryChecks,
} from './identification.decider.js';
import { recordCivilOrderBreach, recordDisruptionDecision, reviewRepeatSuspectFlag } from './repeat-suspect-disruption.decider.js';
import { decideCourt } from './court.decider.js';
import type { SuspectCommand } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { evolve, initialSuspectState, type SuspectState } from './suspect.state.js';

/** Every command but identification needs the suspect on record, on the case the command names. */
function requireSuspect(command: SuspectCommand, state: SuspectState): void {
  if (state.status === 'none') refuse('suspect-not-found', 'no such suspect');
  if (state.caseId !== command.caseId) {
    refuse('case-mismatch', `the suspect belongs to case ${String(state.caseId)}, not ${command.caseId}`, 'caseId');
  }
}

export function decide(command: SuspectCommand, state: SuspectState, model: ModelInForce): SuspectEvent[] {
  if (command.kind !== 'identify-suspect') requireSuspect(command, state);
  switch (command.kind) {
    case 'identify-suspect':
      return identifySuspect(command, state);
    case 'record-history-checks':
      return recordHistoryChecks(command);
    case 'arrest-suspect':
      return arrestSuspect(command, state);
    case 'arrange-voluntary-interview':
      return arrangeVoluntaryInterview(command, state);
    case 'record-interview':
      return recordInterview(command, state);
    case 'grant-pre-charge-bail':
      return grantPreChargeBail(command, state, model);
    case 'extend-bail':
      return extendBail(command, state, model);
    case 'record-court-bail-extension':
      return recordCourtBailExtension(command, state, model);
    case 'change-bail-conditions':
      return changeBailConditions(command, state);
    case 'release-under-investigation':
      return releaseUnderInvestigation(command, state);
    case 'cancel-bail':
      return cancelBail(command, state);
    case 'check-bail':
      return checkBail(command, state);
    case 'review-release-under-investigation':
      return reviewReleaseUnderInvestigation(command, state);
    case 'release-no-further-action':
      return releaseNoFurtherAction(command, state);
    case 'charge-suspect':
      return chargeSuspect(command, state);
    case 'raise-repeat-suspect-flag':
      return raiseRepeatSuspectFlag(command, state);
    case 'clear-repeat-suspect-flag':
      return clearRepeatSuspectFlag(command, state);
    case 'review-repeat-suspect-check':
      return reviewRepeatSuspectCheck(command);
    case 'record-disruption-tactic':
      return recordDisruptionTactic(command);
    case 'apply-for-civil-order':
      return applyForCivilOrder(command, state);
    case 'record-civil-order-granted':
      return recordCivilOrderGranted(command, state);
    case 'record-civil-order-refused':
      return recordCivilOrderRefused(command, state);
    case 'review-repeat-suspect-flag':
      return reviewRepeatSuspectFlag(command, state);
    case 'record-disruption-decision':
      return recordDisruptionDecision(command, state);
    case 'record-civil-order-breach':
      return recordCivilOrderBreach(command, state);
    case 'record-first-hearing':
    case 'list-trial':
    case 'start-trial':
    case 'record-verdict':
    case 'discontinue-prosecution':
      return decideCourt(command, state);
    default:
      return assertNever(command);
  }
}

export const suspectDecider: Decider<SuspectCommand, SuspectEvent, SuspectState> = {
  decide,
  evolve,
  initialState: initialSuspectState,
};

/**
 * Stream id of one suspect in one case. A suspect id is minted per case, so the same person in two cases is
 * two streams, linked by national references and the repeat-suspect flag. The store keeps the owning force.
 */
export function suspectStreamId(suspectId: string): string {
  return `suspect-${suspectId}`;
}
