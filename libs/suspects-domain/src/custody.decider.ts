import { CPS_REFERENCE_PATTERN, SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import type { CommandOf } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { requireInstant, requireNotBefore, requireNotCharged, requirePattern } from './suspect.guards.js';
import type { SuspectState } from './suspect.state.js';

/** Pillar 1: arrest or voluntary interview, interview, and how the suspect leaves the pre-charge process. */
export function arrestSuspect(command: CommandOf<'arrest-suspect'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, custodyClockStartedAt, at } = command;
  requireNotCharged(state);
  if (state.status === 'in-custody') refuse('already-in-custody', 'the suspect is already in custody');
  requireInstant(at, 'at');
  requireInstant(custodyClockStartedAt, 'custodyClockStartedAt');
  requireNotBefore(custodyClockStartedAt, at, 'custodyClockStartedAt', 'cannot be before the arrest');
  return [{ type: T.SuspectArrested, data: { caseId, suspectId, arrestedAt: at, custodyClockStartedAt } }];
}

export function arrangeVoluntaryInterview(command: CommandOf<'arrange-voluntary-interview'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, scheduledFor, at } = command;
  requireNotCharged(state);
  if (state.status === 'in-custody') refuse('already-in-custody', 'the suspect is in custody: interview them there');
  requireInstant(at, 'at');
  requireInstant(scheduledFor, 'scheduledFor');
  requireNotBefore(scheduledFor, at, 'scheduledFor', 'cannot be before the interview was arranged');
  // The same appointment again is a retry, not a new fact; a different time is a rescheduling.
  if (state.voluntaryInterviewFor === scheduledFor) return [];
  return [{ type: T.VoluntaryInterviewArranged, data: { caseId, suspectId, scheduledFor, arrangedAt: at } }];
}

export function recordInterview(command: CommandOf<'record-interview'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, setting, response, at } = command;
  // PACE Code C 16.5: no interview after charge save in exceptional cases, which this model does not cover.
  requireNotCharged(state);
  if (setting === 'custody' && state.status !== 'in-custody') refuse('not-in-custody', 'the suspect is not in custody');
  if (setting === 'voluntary' && state.voluntaryInterviewFor === undefined) {
    refuse('no-voluntary-interview-arranged', 'no voluntary interview is arranged with the suspect');
  }
  return [{ type: T.SuspectInterviewed, data: { caseId, suspectId, setting, response, interviewedAt: at } }];
}

export function releaseUnderInvestigation(command: CommandOf<'release-under-investigation'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, at } = command;
  requireNotCharged(state);
  if (state.status !== 'in-custody' && state.status !== 'on-bail') {
    refuse('not-in-custody-or-on-bail', 'only a suspect in custody or on bail can be released under investigation');
  }
  return [{ type: T.ReleasedUnderInvestigation, data: { caseId, suspectId, releasedAt: at } }];
}

export function releaseNoFurtherAction(command: CommandOf<'release-no-further-action'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, decidedBy, at } = command;
  requireNotCharged(state);
  if (state.status === 'no-further-action') {
    refuse('already-released-no-further-action', 'no further action has already been recorded for the suspect');
  }
  return [{ type: T.ReleasedNoFurtherAction, data: { caseId, suspectId, decidedBy, releasedAt: at } }];
}

/**
 * Rape and serious sexual offences are charged on a CPS decision (Director's Guidance on Charging). A charge
 * may follow no further action (e.g. after a victim's right to review), but never a charge.
 */
export function chargeSuspect(command: CommandOf<'charge-suspect'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, cpsDecisionReference, at } = command;
  requireNotCharged(state);
  requirePattern(cpsDecisionReference, CPS_REFERENCE_PATTERN, 'cpsDecisionReference', 'CPS decision reference');
  return [{ type: T.SuspectCharged, data: { caseId, suspectId, cpsDecisionReference, chargedAt: at } }];
}
