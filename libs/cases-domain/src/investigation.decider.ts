import { CaseEventTypes as T, OFFICER_ID_PATTERN, SUSPECT_FOCUSED_CATEGORIES, type CaseEvent } from '#contracts';
import type { CommandOf } from './case.commands.js';
import { refuse } from './case.errors.js';
import { requireInvestigation, requirePattern } from './case.guards.js';
import type { CaseState } from './case.state.js';

/** Lifecycle step 2 and pillar 1: who runs and oversees the investigation, and its suspect-focused plan. */
export function assignInvestigator(command: CommandOf<'assign-investigator'>, state: CaseState): CaseEvent[] {
  const { caseId, officerId, at } = command;
  requireInvestigation(state);
  requirePattern(officerId, OFFICER_ID_PATTERN, 'officerId', 'an officer id');
  // Assigning the officer already in the case is a retry, not a new fact.
  if (state.investigatorId === officerId) return [];
  if (state.supervisorId === officerId) refuse('supervisor-is-investigator', 'the supervisor cannot also be the investigator', 'officerId');
  return [{ type: T.InvestigatorAssigned, data: { caseId, officerId, assignedAt: at } }];
}

/** Supervision is independent oversight: nobody supervises their own investigation. */
export function assignSupervisor(command: CommandOf<'assign-supervisor'>, state: CaseState): CaseEvent[] {
  const { caseId, officerId, at } = command;
  requireInvestigation(state);
  requirePattern(officerId, OFFICER_ID_PATTERN, 'officerId', 'an officer id');
  if (state.supervisorId === officerId) return [];
  if (state.investigatorId === officerId)
    refuse('supervisor-is-investigator', 'the investigator cannot supervise their own case', 'officerId');
  return [{ type: T.SupervisorAssigned, data: { caseId, officerId, assignedAt: at } }];
}

/** Sets (or revises) the whole plan; lines already completed stay completed. */
export function setInvestigationPlan(command: CommandOf<'set-investigation-plan'>, state: CaseState): CaseEvent[] {
  const { caseId, linesOfEnquiry, at } = command;
  requireInvestigation(state);
  if (linesOfEnquiry.length === 0) refuse('invalid-plan', 'a plan needs at least one line of enquiry', 'linesOfEnquiry');
  if (new Set(linesOfEnquiry.map((line) => line.lineId)).size !== linesOfEnquiry.length) {
    refuse('invalid-plan', 'each line of enquiry needs its own lineId', 'linesOfEnquiry');
  }
  if (!linesOfEnquiry.some((line) => SUSPECT_FOCUSED_CATEGORIES.includes(line.category))) {
    refuse('plan-not-suspect-focused', `a plan needs a suspect-focused line (${SUSPECT_FOCUSED_CATEGORIES.join(', ')})`, 'linesOfEnquiry');
  }
  const completed = new Set(state.linesOfEnquiry?.filter((l) => l.status === 'completed').map((l) => l.lineId));
  return [
    {
      type: T.InvestigationPlanSet,
      data: {
        caseId,
        linesOfEnquiry: linesOfEnquiry.map(({ lineId, category }) => ({
          lineId,
          category,
          status: completed.has(lineId) ? 'completed' : 'open',
        })),
        setAt: at,
      },
    },
  ];
}

export function completeLineOfEnquiry(command: CommandOf<'complete-line-of-enquiry'>, state: CaseState): CaseEvent[] {
  const { caseId, lineId, at } = command;
  requireInvestigation(state);
  if (state.linesOfEnquiry === undefined) refuse('no-investigation-plan', 'no investigation plan is set');
  const line = state.linesOfEnquiry.find((l) => l.lineId === lineId);
  if (!line) refuse('unknown-line-of-enquiry', `the plan has no line of enquiry ${lineId}`, 'lineId');
  if (line.status === 'completed') refuse('line-of-enquiry-already-completed', 'the line of enquiry is already completed');
  return [{ type: T.LineOfEnquiryCompleted, data: { caseId, lineId, completedAt: at } }];
}

/**
 * Links a suspect identified in the suspects context. The suspects context's identification will trigger it
 * through a process manager (suspect-identified -> link-suspect), so a retry of the same link is harmless.
 */
export function linkSuspect(command: CommandOf<'link-suspect'>, state: CaseState): CaseEvent[] {
  const { caseId, suspectId, at } = command;
  // A suspect may be identified before the investigation is formally opened, never on a report or a closed case.
  if (state.status !== 'recorded') requireInvestigation(state);
  if (state.suspectIds.includes(suspectId)) return [];
  return [{ type: T.SuspectLinked, data: { caseId, suspectId, linkedAt: at } }];
}
