import { CaseEventTypes as C, LearningEventTypes as L, type RecordedEvent } from '#contracts';
import { field, type KeyedFold } from '../table-spec.js';
import { CASE_ASSIGNMENTS, OFFICER_LEARNING, type CaseAssignmentRow, type OfficerLearningRow } from './caseload.table.js';

/** The caseload's folds: pure, from an event to a case's assignment or an officer's learning record. */

export const CASELOAD_CASE_EVENTS: ReadonlySet<string> = new Set([
  C.CrimeRecorded,
  C.InvestigatorAssigned,
  C.RecordingCancelled,
  C.OutcomeRecorded,
  C.CaseReopened,
]);
export const CASELOAD_LEARNING_EVENTS: ReadonlySet<string> = new Set([
  L.AccreditationEnrolled,
  L.AccreditationAchieved,
  L.AccreditationLapsed,
  L.TrainingCompleted,
  L.CaseloadRecorded,
]);

export function evolveCaseAssignment(row: CaseAssignmentRow | null, event: RecordedEvent): CaseAssignmentRow {
  const r = row ?? { caseId: field(event, 'caseId'), officerId: null, open: true, assignedAt: null };
  switch (event.type) {
    case C.InvestigatorAssigned:
      return { ...r, officerId: field(event, 'officerId'), assignedAt: field(event, 'assignedAt') };
    case C.RecordingCancelled:
    case C.OutcomeRecorded:
      return { ...r, open: false };
    case C.CaseReopened:
      return { ...r, open: true };
    default:
      return r;
  }
}

export function evolveOfficerLearning(row: OfficerLearningRow | null, event: RecordedEvent): OfficerLearningRow {
  const data = event.data as Record<string, unknown>;
  const r = row ?? {
    officerId: field(event, 'officerId'),
    accreditations: {},
    trainingsCompleted: 0,
    trainingHours: 0,
    lastTrainingAt: null,
    recordedOpenCases: null,
    recordedAsOf: null,
    thresholdExceeded: null,
  };
  const accreditation = (status: string, at: string): OfficerLearningRow => ({
    ...r,
    accreditations: { ...r.accreditations, [field(event, 'programme')]: { status, at: field(event, at) } },
  });
  switch (event.type) {
    case L.AccreditationEnrolled:
      return accreditation('enrolled', 'enrolledAt');
    case L.AccreditationAchieved:
      return accreditation('achieved', 'achievedAt');
    case L.AccreditationLapsed:
      return accreditation('lapsed', 'lapsedAt');
    case L.TrainingCompleted:
      return {
        ...r,
        trainingsCompleted: r.trainingsCompleted + 1,
        trainingHours: Number(r.trainingHours) + (data['hours'] as number),
        lastTrainingAt: field(event, 'completedAt'),
      };
    case L.CaseloadRecorded:
      return {
        ...r,
        recordedOpenCases: data['openCases'] as number,
        recordedAsOf: field(event, 'asOf'),
        thresholdExceeded: data['thresholdExceeded'] as boolean,
      };
    default:
      return r;
  }
}

export const assignmentFold: KeyedFold<CaseAssignmentRow> = {
  spec: CASE_ASSIGNMENTS,
  keyOf: (e) => (CASELOAD_CASE_EVENTS.has(e.type) ? field(e, 'caseId') : undefined),
  evolve: evolveCaseAssignment,
};
export const learningFold: KeyedFold<OfficerLearningRow> = {
  spec: OFFICER_LEARNING,
  keyOf: (e) => (CASELOAD_LEARNING_EVENTS.has(e.type) ? field(e, 'officerId') : undefined),
  evolve: evolveOfficerLearning,
};
