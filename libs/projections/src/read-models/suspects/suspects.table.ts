import { col, declareTable, pageSchema, viewSchema, type OpenApiShape, type RowOf } from '../columns.js';

/** The suspects' table, declared once: the row type, the DDL and the API's view all derive from it. */

export const SUSPECT_STATUSES = [
  'identified',
  'arrested',
  'bailed',
  'released-under-investigation',
  'no-further-action',
  'charged',
] as const;
export type SuspectStatus = (typeof SUSPECT_STATUSES)[number];

/** One suspect in one case: no name, date of birth, PNC ID or CRO number (personal), only ids, statuses, dates. */
export const SUSPECTS = declareTable(
  'suspects',
  {
    suspectId: col.uuid(),
    caseId: col.uuid(),
    status: col.oneOf(SUSPECT_STATUSES),
    identifiedAt: col.instant().nullable(),
    arrestedAt: col.instant().nullable(),
    interviewedAt: col.instant().nullable(),
    bailStartDate: col.date().nullable(),
    bailEndsOn: col.date().nullable().describe('Last day of the current bail period (bailed suspects).'),
    bailExtensions: col.integer(),
    releasedAt: col.instant().nullable(),
    chargedAt: col.instant().nullable(),
    repeatFlag: col.boolean(),
    lastEventAt: col.instant(),
  },
  { key: ['suspectId'], indexes: [['caseId'], ['status', 'bailEndsOn']] },
);
export type SuspectRow = RowOf<typeof SUSPECTS.declared>;

export const SUSPECT_VIEW: OpenApiShape = viewSchema(SUSPECTS.declared);
export const SUSPECT_PAGE: OpenApiShape = pageSchema(SUSPECT_VIEW);
