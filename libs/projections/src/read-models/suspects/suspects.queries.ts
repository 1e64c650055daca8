import { page, paging, Where, type Filters, type Page, type ViewReader } from '../query.js';
import { SUSPECTS, type SuspectRow } from './suspects.table.js';

/** One page of the force's suspects, newest activity first; filters `status`, `caseId`, `repeatFlag`, `bailEndsBy`. */
export async function suspectsPage(db: ViewReader, f: Filters): Promise<Page<SuspectRow>> {
  const w = new Where()
    .add((p) => `status = ${p}`, f['status'])
    .add((p) => `case_id = ${p}`, f['caseId'])
    .add((p) => `repeat_flag = ${p}`, f['repeatFlag'])
    .add((p) => `bail_ends_on <= ${p}`, f['bailEndsBy']);
  const sql = `SELECT * FROM ${db.view(SUSPECTS.base)} ${w.toString()} ORDER BY last_event_at DESC, suspect_id ${paging(w, f)}`;
  return page<SuspectRow>(await db.query(sql, w.params), f);
}
