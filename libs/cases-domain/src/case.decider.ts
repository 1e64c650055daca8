import { assertNever } from '#contracts';
import type { CaseEvent, Decider } from '#contracts';
import type { CaseCommand } from './case.commands.js';
import {
  checkCpsActions,
  completeCpsAction,
  finaliseChargingFile,
  giveEarlyAdvice,
  recordChargingDecision,
  recordSuspectChargingDecision,
  requestEarlyAdvice,
  submitChargingFile,
} from './charging.decider.js';
import { decideDigital } from './digital.decider.js';
import { assignInvestigator, assignSupervisor, completeLineOfEnquiry, linkSuspect, setInvestigationPlan } from './investigation.decider.js';
import { decideRightToReview, recordOutcome, reopenCase, requestRightToReview } from './outcome.decider.js';
import { cancelRecording, decideNotToInvestigate, openInvestigation, receiveReport, recordCrime } from './recording.decider.js';
import { evolve, initialCaseState, type CaseState } from './case.state.js';

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.kind) {
    case 'receive-report':
      return receiveReport(command, state);
    case 'record-crime':
      return recordCrime(command, state);
    case 'cancel-recording':
      return cancelRecording(command, state);
    case 'open-investigation':
      return openInvestigation(command, state);
    case 'decide-not-to-investigate':
      return decideNotToInvestigate(command, state);
    case 'assign-investigator':
      return assignInvestigator(command, state);
    case 'assign-supervisor':
      return assignSupervisor(command, state);
    case 'set-investigation-plan':
      return setInvestigationPlan(command, state);
    case 'complete-line-of-enquiry':
      return completeLineOfEnquiry(command, state);
    case 'link-suspect':
      return linkSuspect(command, state);
    case 'request-device-extraction':
    case 'record-extraction-agreement':
    case 'withdraw-extraction-agreement':
    case 'complete-device-extraction':
    case 'return-device':
    case 'request-third-party-material':
    case 'record-third-party-outcome':
    case 'record-problem-profile':
      return decideDigital(command, state);
    case 'request-early-advice':
      return requestEarlyAdvice(command, state);
    case 'submit-charging-file':
      return submitChargingFile(command, state);
    case 'record-charging-decision':
      return recordChargingDecision(command, state);
    case 'give-early-advice':
      return giveEarlyAdvice(command, state);
    case 'complete-cps-action':
      return completeCpsAction(command, state);
    case 'check-cps-actions':
      return checkCpsActions(command, state);
    case 'record-suspect-charging-decision':
      return recordSuspectChargingDecision(command, state);
    case 'finalise-charging-file':
      return finaliseChargingFile(command, state);
    case 'record-outcome':
      return recordOutcome(command, state);
    case 'reopen-case':
      return reopenCase(command, state);
    case 'request-right-to-review':
      return requestRightToReview(command, state);
    case 'decide-right-to-review':
      return decideRightToReview(command, state);
    default:
      return assertNever(command);
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = { decide, evolve, initialState: initialCaseState };

/** Stream id of a case: the context and the case id. The owning force is kept by the store per stream. */
export function caseStreamId(caseId: string): string {
  return `case-${caseId}`;
}
