import { LearningEventTypes as T, type OfficerDevelopmentEvent } from '#contracts';
import type { OfficerDevelopmentCommand } from './officer-development.commands.js';
import { refuseOfficerCommand as refuse } from './officer-development.errors.js';
import type { OfficerDevelopmentState } from './officer-development.state.js';

type Command<K extends OfficerDevelopmentCommand['kind']> = Extract<OfficerDevelopmentCommand, { kind: K }>;

export function recordTraining(command: Command<'record-training'>): OfficerDevelopmentEvent[] {
  const { officerId, courseCode, hours, at } = command;
  return [{ type: T.TrainingCompleted, data: { officerId, courseCode, hours, completedAt: at } }];
}

export function recordCaseload(command: Command<'record-caseload'>): OfficerDevelopmentEvent[] {
  const { officerId, asOf, openCases, threshold } = command;
  return [{ type: T.CaseloadRecorded, data: { officerId, asOf, openCases, threshold, thresholdExceeded: openCases > threshold } }];
}

export function holdWellbeingCheckIn(command: Command<'hold-wellbeing-check-in'>): OfficerDevelopmentEvent[] {
  const { officerId, heldBy, heldOn, outcome } = command;
  if (heldBy === officerId) refuse('own-wellbeing-check-in', 'a wellbeing check-in is held by someone other than the officer');
  return [{ type: T.WellbeingCheckInHeld, data: { officerId, heldOn, heldBy, outcome } }];
}

export function holdCaseReview(command: Command<'hold-case-review'>): OfficerDevelopmentEvent[] {
  const { officerId, caseId, reviewerId, findings, actionsRaised, at } = command;
  // Nobody audits their own work: the officer in the case never reviews it.
  if (reviewerId === officerId) refuse('own-case-review', `${reviewerId} is the officer in the case and cannot review it`);
  return [{ type: T.CaseReviewHeld, data: { officerId, caseId, reviewerId, findings, actionsRaised, reviewedAt: at } }];
}

export function recordLessonLearned(command: Command<'record-lesson-learned'>, state: OfficerDevelopmentState): OfficerDevelopmentEvent[] {
  const { officerId, lessonId, caseId, category, shareNationally, at } = command;
  if (state.lessons.includes(lessonId)) refuse('lesson-already-recorded', `lesson ${lessonId} is already recorded`);
  if (!state.reviewedCases.includes(caseId)) refuse('case-not-reviewed', `case ${caseId} has had no supervisory review`);
  return [{ type: T.LessonLearnedRecorded, data: { officerId, lessonId, caseId, category, shareNationally, recordedAt: at } }];
}

/**
 * The supervisory review cycle (a model rule, docs/disruption.md): a case's review is due this many days after its
 * investigator was assigned or its last supervisory review, whichever is later.
 */
export const SUPERVISORY_REVIEW_CYCLE_DAYS = 28;

/** The timer's record that a cycle ran out: once per cycle (per case and due date). */
export function recordCaseReviewOverdue(
  command: Command<'record-case-review-overdue'>,
  state: OfficerDevelopmentState,
): OfficerDevelopmentEvent[] {
  const { officerId, caseId, dueBy, at } = command;
  if (state.overdueReviews?.[caseId] === dueBy) {
    refuse('review-overdue-already-recorded', `the review of case ${caseId} due by ${dueBy} is already recorded overdue`);
  }
  return [{ type: T.CaseReviewOverdue, data: { officerId, caseId, dueBy, detectedAt: at } }];
}
