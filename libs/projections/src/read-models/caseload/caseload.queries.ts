import { page, paging, Where, type Filters, type Page, type ViewReader } from '../query.js';
import type { OpenCaseloadOfOfficer } from '#kpis';
import { CASE_ASSIGNMENTS, OFFICER_LEARNING, type OfficerCaseload } from './caseload.table.js';

/** One page of the force's officers (by officer id): open cases assigned and learning record; filter `officerId`. */
export async function caseloadPage(db: ViewReader, f: Filters): Promise<Page<OfficerCaseload>> {
  const w = new Where();
  const officer = f['officerId'] === undefined ? '' : `WHERE COALESCE(a.officer_id, l.officer_id) = ${w.param(f['officerId'])}`;
  const sql = `
    SELECT COALESCE(a.officer_id, l.officer_id) AS officer_id, COALESCE(a.open_cases, 0) AS open_cases,
           COALESCE(l.accreditations, '{}'::jsonb) AS accreditations, COALESCE(l.trainings_completed, 0) AS trainings_completed,
           COALESCE(l.training_hours, 0)::float8 AS training_hours, l.last_training_at, l.recorded_open_cases, l.recorded_as_of, l.threshold_exceeded
    FROM (SELECT officer_id, count(*) FILTER (WHERE open)::int AS open_cases FROM ${db.view(CASE_ASSIGNMENTS.base)}
          WHERE officer_id IS NOT NULL GROUP BY officer_id) a
    FULL JOIN ${db.view(OFFICER_LEARNING.base)} l ON l.officer_id = a.officer_id
    ${officer} ORDER BY 1 ${paging(w, f)}`;
  return page<OfficerCaseload>(await db.query(sql, w.params), f);
}

/** Open investigations per assigned officer (null: none assigned) with the officer's accreditations (accredited coverage). */
export async function openCaseloadByOfficer(db: ViewReader): Promise<OpenCaseloadOfOfficer[]> {
  const sql = `
    SELECT a.officer_id, count(*)::int AS open_cases, l.accreditations
    FROM ${db.view(CASE_ASSIGNMENTS.base)} a LEFT JOIN ${db.view(OFFICER_LEARNING.base)} l ON l.officer_id = a.officer_id
    WHERE a.open GROUP BY a.officer_id, l.accreditations ORDER BY 1`;
  const rows = await db.query<{ officer_id: string | null; open_cases: number; accreditations: OpenCaseloadOfOfficer['accreditations'] }>(
    sql,
  );
  return rows.map((r) => ({ officerId: r.officer_id, openCases: r.open_cases, accreditations: r.accreditations }));
}
