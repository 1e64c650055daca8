import { col, declareTable, pageSchema, viewSchema, type OpenApiShape, type RowOf } from '../columns.js';

/** The investigations' tables, declared once: the row types, the DDL and the API's views all derive from these. */

export const INVESTIGATION_STATUSES = ['reported', 'recorded', 'under-investigation', 'closed', 'cancelled'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

/** One investigation: ids, codes, statuses and instants only. */
export const INVESTIGATIONS = declareTable(
  'investigations',
  {
    caseId: col.uuid(),
    status: col.oneOf(INVESTIGATION_STATUSES),
    crimeReference: col.text().nullable(),
    n100Reference: col.text().nullable(),
    offence: col.text().nullable(),
    offenceCode: col.text().nullable(),
    investigatorId: col.text().nullable(),
    supervisorId: col.text().nullable(),
    reportedAt: col.instant().nullable(),
    recordedAt: col.instant().nullable(),
    openedAt: col.instant().nullable(),
    closedAt: col.instant().nullable(),
    outcomeCode: col.integer().nullable(),
    cancelledAt: col.instant().nullable(),
    reopenedCount: col.integer(),
    suspectsLinked: col.integer(),
    lastEventAt: col.instant(),
  },
  { key: ['caseId'], indexes: [['-reportedAt', 'caseId'], ['status'], ['investigatorId'], ['offence'], ['recordedAt']] },
);
export type InvestigationRow = RowOf<typeof INVESTIGATIONS.declared>;

/** One line of a case's timeline: what happened, when, and who did it (an officer id or a system component). */
export const INVESTIGATION_TIMELINE = declareTable(
  'investigation_timeline',
  {
    caseId: col.uuid(),
    streamId: col.text(),
    revision: col.bigint(),
    eventType: col.text(),
    occurredAt: col.instant(),
    actor: col.text().describe('An officer id, or system:<component>.'),
  },
  { key: ['streamId', 'revision'], indexes: [['caseId', 'occurredAt']] },
);
export type TimelineRow = RowOf<typeof INVESTIGATION_TIMELINE.declared>;

/** A timeline line as `GET /forces/{force}/investigations/{caseId}` shows it. */
export type TimelineEntry = Pick<TimelineRow, 'eventType' | 'occurredAt' | 'actor'>;
/** What `GET /forces/{force}/investigations/{caseId}` answers: the investigation and its whole timeline. */
export type InvestigationDetail = InvestigationRow & { readonly timeline: TimelineEntry[] };

const timeline = INVESTIGATION_TIMELINE.declared;
const TIMELINE_ENTRY: OpenApiShape = viewSchema({ eventType: timeline.eventType, occurredAt: timeline.occurredAt, actor: timeline.actor });

export const INVESTIGATION_VIEW: OpenApiShape = viewSchema(INVESTIGATIONS.declared);
export const INVESTIGATION_PAGE: OpenApiShape = pageSchema(INVESTIGATION_VIEW);
export const INVESTIGATION_DETAIL_VIEW: OpenApiShape = viewSchema(INVESTIGATIONS.declared, {
  timeline: { type: 'array', items: TIMELINE_ENTRY, description: 'Every event of the case, its suspects and victims, oldest first.' },
});
