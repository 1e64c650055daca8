import { CaseEventTypes as T, REFERENCE_PATTERN, offenceCodesOf, soleOffenceCode, type CaseEvent, type OffenceGroup } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';

/** Lifecycle step 1: a report (N100 incident), recording it as a crime, or cancelling it under the Crime Recording Rules. */
export function receiveReport(command: CommandOf<'receive-report'>, state: CaseState): CaseEvent[] {
  const { caseId, n100Reference, reportedAt, at } = command;
  if (state.status !== 'none') refuse('case-already-recorded', 'this case already exists');
  requirePattern(n100Reference, REFERENCE_PATTERN, 'n100Reference', 'an incident reference');
  return [{ type: T.ReportReceived, data: { caseId, n100Reference, reportedAt, receivedAt: at } }];
}

/** The code given, or the one the group determines; a group spanning several codes needs it said. */
function classify(offence: OffenceGroup, offenceCode: string | undefined): string {
  const codes = offenceCodesOf(offence);
  if (offenceCode === undefined) {
    return (
      soleOffenceCode(offence) ??
      refuse('invalid-offence-code', `offenceCode is required for ${offence}: one of ${codes.join(', ')}`, 'offenceCode')
    );
  }
  if (!codes.includes(offenceCode)) {
    refuse('invalid-offence-code', `${offenceCode} is not a Home Office code of ${offence} (${codes.join(', ')})`, 'offenceCode');
  }
  return offenceCode;
}

/**
 * Records the crime: from the N100 report on the case (which supplies when it was reported), or directly on
 * a new case (the caller says when it was reported).
 */
export function recordCrime(command: CommandOf<'record-crime'>, state: CaseState): CaseEvent[] {
  const { caseId, crimeReference, offence, at } = command;
  if (state.status === 'cancelled') refuse('recording-cancelled', 'the report was cancelled: record a new case');
  if (state.status !== 'none' && state.status !== 'reported') refuse('case-already-recorded', 'this case is already recorded');
  requirePattern(crimeReference, REFERENCE_PATTERN, 'crimeReference', 'a crime reference number');
  const offenceCode = classify(offence, command.offenceCode);
  const fromReport = state.status === 'reported';
  const reportedAt = fromReport ? state.reportedAt : command.reportedAt;
  if (reportedAt === undefined) refuse('invalid-time', 'reportedAt is required when a crime is recorded directly', 'reportedAt');
  if (Date.parse(reportedAt) > Date.parse(at)) refuse('invalid-time', 'reportedAt cannot be after the recording', 'reportedAt');
  return [
    {
      type: T.CrimeRecorded,
      data: {
        caseId,
        crimeReference,
        offence,
        offenceCode,
        n100Reference: fromReport ? (state.n100Reference ?? null) : null,
        reportedAt,
        recordedAt: at,
      },
    },
  ];
}

export function cancelRecording(command: CommandOf<'cancel-recording'>, state: CaseState): CaseEvent[] {
  const { caseId, reason, at } = command;
  switch (state.status) {
    case 'none':
      return refuse('case-not-found', 'no such case');
    case 'cancelled':
      return refuse('recording-cancelled', 'the recording is already cancelled');
    case 'closed':
      return refuse('case-closed', 'a closed case keeps its outcome: reopen it first');
    case 'reported':
      return [{ type: T.RecordingCancelled, data: { caseId, stage: 'report', reason, cancelledAt: at } }];
    case 'recorded':
    case 'under-investigation':
      return [{ type: T.RecordingCancelled, data: { caseId, stage: 'crime', reason, cancelledAt: at } }];
    default: {
      const unhandled: never = state.status;
      throw new Error(`unhandled: ${String(unhandled)}`);
    }
  }
}

export function openInvestigation(command: CommandOf<'open-investigation'>, state: CaseState): CaseEvent[] {
  if (state.status === 'none') refuse('case-not-found', 'no such case');
  if (state.status === 'reported') refuse('crime-not-recorded', 'the report is not recorded as a crime yet');
  if (state.status === 'cancelled') refuse('recording-cancelled', 'the recording of this case was cancelled');
  if (state.status === 'under-investigation') refuse('investigation-already-open', 'an investigation is already open');
  if (state.status === 'closed') refuse('case-closed', 'the case is closed: reopen it instead');
  return [{ type: T.InvestigationOpened, data: { caseId: command.caseId, openedAt: command.at } }];
}

/**
 * A decision not to investigate a recorded crime (Victims' Code right 6: the victim is told, with the reasons, within the
 * update deadline; the process manager opens that duty). Only before an investigation is opened; opening one later
 * (after a review) ends the decision.
 */
export function decideNotToInvestigate(command: CommandOf<'decide-not-to-investigate'>, state: CaseState): CaseEvent[] {
  const { caseId, reason, decidedBy, explanation, at } = command;
  if (state.status === 'none') refuse('case-not-found', 'no such case');
  if (state.status === 'reported') refuse('crime-not-recorded', 'the report is not recorded as a crime yet');
  if (state.status === 'cancelled') refuse('recording-cancelled', 'the recording of this case was cancelled');
  if (state.status === 'under-investigation') refuse('investigation-already-open', 'an investigation is open: close it with an outcome');
  if (state.status === 'closed') refuse('case-closed', 'the case is closed');
  if (state.notInvestigated !== undefined)
    refuse('already-decided-not-to-investigate', 'a decision not to investigate is already recorded');
  return [{ type: T.DecidedNotToInvestigate, data: { caseId, reason, decidedBy, explanation, decidedAt: at } }];
}
