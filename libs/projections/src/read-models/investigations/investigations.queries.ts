import { page, paging, viewRow, Where, type Filters, type Page, type ViewReader } from '../query.js';
import {
  INVESTIGATION_TIMELINE,
  INVESTIGATIONS,
  type InvestigationDetail,
  type InvestigationRow,
  type TimelineEntry,
} from './investigations.table.js';

/**
 * One page of the force's investigations, newest report first; filters `status`, `offence`, `investigatorId`,
 * `outcomeCode`, `reportedFrom`/`reportedTo`, `recordedFrom`/`recordedTo` (rules in libs/read-models-api).
 */
export async function investigationsPage(db: ViewReader, f: Filters): Promise<Page<InvestigationRow>> {
  const w = new Where()
    .add((p) => `status = ${p}`, f['status'])
    .add((p) => `offence = ${p}`, f['offence'])
    .add((p) => `investigator_id = ${p}`, f['investigatorId'])
    .add((p) => `outcome_code = ${p}`, f['outcomeCode'])
    .add((p) => `reported_at >= ${p}`, f['reportedFrom'])
    .add((p) => `reported_at < ${p}`, f['reportedTo'])
    .add((p) => `recorded_at >= ${p}`, f['recordedFrom'])
    .add((p) => `recorded_at < ${p}`, f['recordedTo']);
  const sql = `SELECT * FROM ${db.view(INVESTIGATIONS.base)} ${w.toString()} ORDER BY reported_at DESC NULLS LAST, case_id ${paging(w, f)}`;
  return page<InvestigationRow>(await db.query(sql, w.params), f);
}

/** One investigation with its timeline, or undefined when the force has no such case. */
export async function investigationDetail(db: ViewReader, caseId: string): Promise<InvestigationDetail | undefined> {
  const [row] = await db.query<Record<string, unknown>>(`SELECT * FROM ${db.view(INVESTIGATIONS.base)} WHERE case_id = $1`, [caseId]);
  if (!row) return undefined;
  const timeline = await db.query<Record<string, unknown>>(
    `SELECT event_type, occurred_at, actor FROM ${db.view(INVESTIGATION_TIMELINE.base)} WHERE case_id = $1 ORDER BY occurred_at, stream_id, revision`,
    [caseId],
  );
  return { ...viewRow<InvestigationRow>(row), timeline: timeline.map((t) => viewRow<TimelineEntry>(t)) };
}
