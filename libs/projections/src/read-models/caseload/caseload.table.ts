import { col, declareTable, pageSchema, viewSchema, type OpenApiShape, type RowOf } from '../columns.js';

/** The caseload's tables, declared once: the row types, the DDL and the API's view all derive from these. */

/** Which investigator a case is assigned to, and whether it is open: an officer's caseload is a count of these. */
export const CASE_ASSIGNMENTS = declareTable(
  'case_assignments',
  { caseId: col.uuid(), officerId: col.text().nullable(), open: col.boolean(), assignedAt: col.instant().nullable() },
  { key: ['caseId'], indexes: [['officerId', 'open']] },
);
export type CaseAssignmentRow = RowOf<typeof CASE_ASSIGNMENTS.declared>;

/** An officer's accreditation and training record (programme codes, statuses, dates; no wellbeing data). */
export const OFFICER_LEARNING = declareTable(
  'officer_learning',
  {
    officerId: col.text(),
    accreditations: col.json<Record<string, { status: string; at: string }>>({
      type: 'object',
      description: '{ [programme]: { status: enrolled | achieved | lapsed, at } }',
    }),
    trainingsCompleted: col.integer(),
    trainingHours: col.numeric(),
    lastTrainingAt: col.instant().nullable(),
    recordedOpenCases: col.integer().nullable().describe('The last caseload-recorded count.'),
    recordedAsOf: col.date().nullable(),
    thresholdExceeded: col.boolean().nullable(),
  },
  { key: ['officerId'] },
);
export type OfficerLearningRow = RowOf<typeof OFFICER_LEARNING.declared>;

/** What `GET /forces/{force}/caseload` answers per officer: the learning record and the open cases assigned. */
export type OfficerCaseload = OfficerLearningRow & { readonly openCases: number };

const { officerId, ...learning } = OFFICER_LEARNING.declared;
export const OFFICER_CASELOAD_VIEW: OpenApiShape = viewSchema({
  officerId,
  openCases: col.integer().describe('Open cases this officer is the assigned investigator of.'),
  ...learning,
});
export const CASELOAD_PAGE: OpenApiShape = pageSchema(OFFICER_CASELOAD_VIEW);
