import type { EntityManager } from 'typeorm';
import { CaseEventTypes as C, LearningEventTypes as L, type RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import { applyKeyedFold, createTableSql, field, type KeyedFold, type TableSpec } from './table-spec.js';

/** Which investigator a case is assigned to, and whether it is open: an officer's caseload is a count of these. */
export interface CaseAssignmentRow extends Record<string, unknown> {
  caseId: string;
  officerId: string | null;
  open: boolean;
  assignedAt: string | null;
}

/** An officer's accreditation and training record (programme codes, statuses, dates; no wellbeing data). */
export interface OfficerLearningRow extends Record<string, unknown> {
  officerId: string;
  /** `{ [programme]: { status: 'enrolled' | 'achieved' | 'lapsed', at } }`. */
  accreditations: Record<string, { status: string; at: string }>;
  trainingsCompleted: number;
  trainingHours: number;
  lastTrainingAt: string | null;
  recordedOpenCases: number | null;
  recordedAsOf: string | null;
  thresholdExceeded: boolean | null;
}

export const CASE_ASSIGNMENTS: TableSpec<CaseAssignmentRow> = {
  base: 'case_assignments',
  columns: { caseId: 'uuid', officerId: 'text', open: 'boolean', assignedAt: 'timestamptz' },
  key: ['caseId'],
  indexes: [['officerId', 'open']],
};

export const OFFICER_LEARNING: TableSpec<OfficerLearningRow> = {
  base: 'officer_learning',
  columns: {
    officerId: 'text', accreditations: 'jsonb', trainingsCompleted: 'integer', trainingHours: 'numeric', lastTrainingAt: 'timestamptz',
    recordedOpenCases: 'integer', recordedAsOf: 'date', thresholdExceeded: 'boolean',
  },
  key: ['officerId'],
};

const CASE_EVENTS: ReadonlySet<string> = new Set([C.CrimeRecorded, C.InvestigatorAssigned, C.RecordingCancelled, C.OutcomeRecorded, C.CaseReopened]);
const LEARNING_EVENTS: ReadonlySet<string> = new Set([L.AccreditationEnrolled, L.AccreditationAchieved, L.AccreditationLapsed, L.TrainingCompleted, L.CaseloadRecorded]);

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
  const r = row ?? { officerId: field(event, 'officerId'), accreditations: {}, trainingsCompleted: 0, trainingHours: 0, lastTrainingAt: null, recordedOpenCases: null, recordedAsOf: null, thresholdExceeded: null };
  const accreditation = (status: string, at: string): OfficerLearningRow => ({ ...r, accreditations: { ...r.accreditations, [field(event, 'programme')]: { status, at: field(event, at) } } });
  switch (event.type) {
    case L.AccreditationEnrolled:
      return accreditation('enrolled', 'enrolledAt');
    case L.AccreditationAchieved:
      return accreditation('achieved', 'achievedAt');
    case L.AccreditationLapsed:
      return accreditation('lapsed', 'lapsedAt');
    case L.TrainingCompleted:
      return { ...r, trainingsCompleted: r.trainingsCompleted + 1, trainingHours: Number(r.trainingHours) + (data['hours'] as number), lastTrainingAt: field(event, 'completedAt') };
    case L.CaseloadRecorded:
      return { ...r, recordedOpenCases: data['openCases'] as number, recordedAsOf: field(event, 'asOf'), thresholdExceeded: data['thresholdExceeded'] as boolean };
    default:
      return r;
  }
}

const assignmentFold: KeyedFold<CaseAssignmentRow> = { spec: CASE_ASSIGNMENTS, keyOf: (e) => (CASE_EVENTS.has(e.type) ? field(e, 'caseId') : undefined), evolve: evolveCaseAssignment };
const learningFold: KeyedFold<OfficerLearningRow> = { spec: OFFICER_LEARNING, keyOf: (e) => (LEARNING_EVENTS.has(e.type) ? field(e, 'officerId') : undefined), evolve: evolveOfficerLearning };

/** Officer caseload (open cases assigned) and learning (accreditation, training, recorded caseload). */
export const caseloadReadModel: ReadModel = {
  name: 'caseload',
  version: 1,
  eventTypes: new Set([...CASE_EVENTS, ...LEARNING_EVENTS]),
  tables: [CASE_ASSIGNMENTS.base, OFFICER_LEARNING.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, CASE_ASSIGNMENTS), ...createTableSql(t, OFFICER_LEARNING)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, assignmentFold, events);
    await applyKeyedFold(em, t, learningFold, events);
  },
};
