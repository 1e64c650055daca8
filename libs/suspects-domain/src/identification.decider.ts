import { CRO_NUMBER_PATTERN, PNC_ID_PATTERN, SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import type { CommandOf } from './suspect.commands.js';
import { refuse } from './suspect.errors.js';
import { requireDate, requirePattern } from './suspect.guards.js';
import type { SuspectState } from './suspect.state.js';

/** Pillars 1 and 2: who the suspect is, what the national systems hold on them, and repeat suspects. */
export function identifySuspect(command: CommandOf<'identify-suspect'>, state: SuspectState): SuspectEvent[] {
  if (state.status !== 'none') refuse('suspect-already-identified', 'this suspect is already identified on the case');
  const { caseId, suspectId, name, dateOfBirth, pncId, croNumber, at } = command;
  requirePattern(pncId, PNC_ID_PATTERN, 'pncId', 'PNC ID (e.g. 12/345678A)');
  requirePattern(croNumber, CRO_NUMBER_PATTERN, 'croNumber', 'CRO number (e.g. 123456/12A)');
  if (dateOfBirth !== undefined) requireDate(dateOfBirth, 'dateOfBirth');
  return [
    {
      type: T.SuspectIdentified,
      data: {
        caseId,
        suspectId,
        name,
        ...(dateOfBirth === undefined ? {} : { dateOfBirth }),
        ...(pncId === undefined ? {} : { pncId }),
        ...(croNumber === undefined ? {} : { croNumber }),
        identifiedAt: at,
      },
    },
  ];
}

export function recordHistoryChecks(command: CommandOf<'record-history-checks'>): SuspectEvent[] {
  const { caseId, suspectId, systems, resultSummary, at } = command;
  if (systems.length === 0) refuse('invalid-history-checks', 'name at least one system checked', 'systems');
  if (new Set(systems).size !== systems.length) refuse('invalid-history-checks', 'a system is named twice', 'systems');
  return [{ type: T.HistoryChecksCompleted, data: { caseId, suspectId, systems, resultSummary, completedAt: at } }];
}

export function raiseRepeatSuspectFlag(command: CommandOf<'raise-repeat-suspect-flag'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, reason, linkedCaseIds, at } = command;
  if (state.repeatSuspect) refuse('repeat-flag-already-raised', 'the suspect is already flagged as a repeat suspect');
  if (linkedCaseIds.length === 0) {
    refuse('invalid-linked-cases', 'a repeat suspect is linked to at least one other case', 'linkedCaseIds');
  }
  if (linkedCaseIds.includes(caseId)) refuse('invalid-linked-cases', 'a case cannot be linked to itself', 'linkedCaseIds');
  if (new Set(linkedCaseIds).size !== linkedCaseIds.length) {
    refuse('invalid-linked-cases', 'a linked case is named twice', 'linkedCaseIds');
  }
  return [{ type: T.RepeatSuspectFlagRaised, data: { caseId, suspectId, reason, linkedCaseIds, raisedAt: at } }];
}

export function clearRepeatSuspectFlag(command: CommandOf<'clear-repeat-suspect-flag'>, state: SuspectState): SuspectEvent[] {
  const { caseId, suspectId, reason, at } = command;
  if (!state.repeatSuspect) refuse('repeat-flag-not-raised', 'the suspect is not flagged as a repeat suspect');
  return [{ type: T.RepeatSuspectFlagCleared, data: { caseId, suspectId, reason, clearedAt: at } }];
}

/** A supervisor's recorded grounds for a repeat-suspect check (a lawful trigger for the national index, ADR 0015). */
export function reviewRepeatSuspectCheck(command: CommandOf<'review-repeat-suspect-check'>): SuspectEvent[] {
  const { caseId, suspectId, reason, at } = command;
  return [{ type: T.RepeatSuspectCheckReviewed, data: { caseId, suspectId, reason, reviewedAt: at } }];
}
