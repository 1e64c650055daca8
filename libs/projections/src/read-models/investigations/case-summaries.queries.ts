import { CaseEventTypes, SupersededCaseEventTypes } from '#contracts';
import { viewSchema, type OpenApiShape, type RowOf } from '../columns.js';
import { viewRow, Where, type ViewReader } from '../query.js';
import { INVESTIGATION_TIMELINE, INVESTIGATIONS } from './investigations.table.js';

/**
 * `GET /forces/{force}/case-summaries[/{caseId}]`, the deprecated alias of the investigations (issue 17, item 1):
 * the retired case-summary read model's answer, in its old shape, computed from the investigations' tables.
 * `lastRevision` and `timeline` are the case stream's own lines of `investigation_timeline` (not its suspects' or
 * victims'); a cancelled case shows its cancellation instant as `closedAt`, as the case summary did.
 */

const i = INVESTIGATIONS.declared;
const t = INVESTIGATION_TIMELINE.declared;

/** The old view's fields, taken from the investigations' declarations (so their SQL and API types cannot drift). */
const CASE_SUMMARY_FIELDS = {
  caseId: i.caseId,
  streamId: t.streamId.describe('The case stream, case-<caseId>.'),
  crimeReference: i.crimeReference,
  offence: i.offence,
  status: i.status,
  investigatorId: i.investigatorId,
  outcomeCode: i.outcomeCode,
  reportedAt: i.reportedAt,
  recordedAt: i.recordedAt,
  openedAt: i.openedAt,
  closedAt: i.closedAt.describe('When the outcome was recorded, or the recording cancelled.'),
  lastRevision: t.revision.describe("The case stream's last revision."),
} as const;
const TIMELINE_FIELDS = { revision: t.revision, type: t.eventType, occurredAt: t.occurredAt } as const;

export type CaseSummaryLine = RowOf<typeof TIMELINE_FIELDS>;
/** What the alias answers for one case. */
export type CaseSummaryView = RowOf<typeof CASE_SUMMARY_FIELDS> & { timeline: CaseSummaryLine[] };

/** The statuses the alias's `status` filter takes (as the retired route did). */
export const CASE_SUMMARY_STATUSES = ['recorded', 'under-investigation', 'closed'] as const;
export type CaseSummaryStatusFilter = (typeof CASE_SUMMARY_STATUSES)[number];

export const CASE_SUMMARY_VIEW: OpenApiShape = viewSchema(CASE_SUMMARY_FIELDS, {
  timeline: { type: 'array', items: viewSchema(TIMELINE_FIELDS), description: "The case stream's events, oldest first." },
});
export const CASE_SUMMARY_LIST: OpenApiShape = { type: 'array', items: CASE_SUMMARY_VIEW };

/** A superseded event type is shown as the version it is upcast to (the case summary folded upcast events). */
const CURRENT_TYPE: Readonly<Record<string, string>> = { [SupersededCaseEventTypes.CrimeRecordedV1]: CaseEventTypes.CrimeRecorded };

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function select(db: ViewReader, w: Where): string {
  return `SELECT i.case_id, 'case-' || i.case_id AS stream_id, i.crime_reference, i.offence, i.status, i.investigator_id, i.outcome_code,
            i.reported_at, i.recorded_at, i.opened_at, coalesce(i.closed_at, i.cancelled_at) AS closed_at,
            coalesce(l.last_revision, '-1') AS last_revision, coalesce(l.timeline, '[]'::jsonb) AS timeline
     FROM ${db.view(INVESTIGATIONS.base)} i
     LEFT JOIN LATERAL (
       SELECT max(revision)::text AS last_revision,
              jsonb_agg(jsonb_build_object('revision', revision::text, 'type', event_type,
                        'occurredAt', to_char(occurred_at AT TIME ZONE 'UTC', ${ISO})) ORDER BY revision) AS timeline
       FROM ${db.view(INVESTIGATION_TIMELINE.base)} WHERE stream_id = 'case-' || i.case_id) l ON TRUE
     ${w.toString()}`;
}

function summary(row: Record<string, unknown>): CaseSummaryView {
  const view = viewRow<CaseSummaryView>(row);
  return { ...view, timeline: view.timeline.map((line) => ({ ...line, type: CURRENT_TYPE[line.type] ?? line.type })) };
}

/** The force's case summaries, latest recorded first (as the retired route ordered them). */
export async function caseSummaries(
  db: ViewReader,
  options: { readonly status?: CaseSummaryStatusFilter; readonly limit: number; readonly offset: number },
): Promise<CaseSummaryView[]> {
  const w = new Where().add((p) => `i.status = ${p}`, options.status);
  const sql = `${select(db, w)} ORDER BY i.recorded_at DESC, i.case_id LIMIT ${w.param(options.limit)} OFFSET ${w.param(options.offset)}`;
  return (await db.query<Record<string, unknown>>(sql, w.params)).map(summary);
}

/** One case's summary, or undefined when the force has no such case. */
export async function caseSummary(db: ViewReader, caseId: string): Promise<CaseSummaryView | undefined> {
  const w = new Where().add((p) => `i.case_id = ${p}`, caseId);
  const [row] = await db.query<Record<string, unknown>>(select(db, w), w.params);
  return row ? summary(row) : undefined;
}
