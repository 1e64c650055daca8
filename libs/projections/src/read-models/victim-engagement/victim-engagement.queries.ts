import { page, paging, Where, type Filters, type Page, type ViewReader } from '../query.js';
import { VICTIM_ENGAGEMENT, VICTIM_UPDATE_DUTIES, type VictimEngagementView } from './victim-engagement.table.js';

/** Filters of `GET /forces/{force}/victim-engagement` (rules in libs/read-models-api). */
export const DUTY_QUERY = ['open', 'missed'] as const;

/** jsonb keeps the session's offset in an instant: shown in UTC like every other instant of the API. */
const iso = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * One page of the force's victims, newest activity first, each with its open update duties and its missed
 * deadlines; filters `caseId`, `withdrawn`, `duties` (open | missed).
 */
export async function victimEngagementPage(db: ViewReader, f: Filters): Promise<Page<VictimEngagementView>> {
  const duties = db.view(VICTIM_UPDATE_DUTIES.base);
  const w = new Where()
    .add((p) => `v.case_id = ${p}`, f['caseId'])
    .add((p) => `v.withdrawn = ${p}`, f['withdrawn'])
    .add(
      (p) =>
        `EXISTS (SELECT 1 FROM ${duties} x WHERE x.victim_id = v.victim_id AND (${p} = 'missed' AND x.missed OR ${p} = 'open' AND x.status = 'open'))`,
      f['duties'],
    );
  const sql = `
    SELECT v.*, COALESCE(d.open_duties, '[]'::jsonb) AS open_duties, COALESCE(d.missed, 0) AS missed_deadlines
    FROM ${db.view(VICTIM_ENGAGEMENT.base)} v
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(jsonb_build_object('triggerEventId', x.trigger_event_id, 'trigger', x.trigger_kind, 'triggeredAt', x.triggered_at, 'dueBy', x.due_by, 'missed', x.missed)
                       ORDER BY x.due_by) FILTER (WHERE x.status = 'open') AS open_duties,
             count(*) FILTER (WHERE x.missed)::int AS missed
      FROM ${duties} x WHERE x.victim_id = v.victim_id
    ) d ON true
    ${w.toString()} ORDER BY v.last_event_at DESC, v.victim_id ${paging(w, f)}`;
  const result = page<VictimEngagementView>(await db.query(sql, w.params), f);
  return {
    ...result,
    items: result.items.map((v) => ({
      ...v,
      openDuties: v.openDuties.map((d) => ({ ...d, triggeredAt: iso(d.triggeredAt), dueBy: iso(d.dueBy) })),
    })),
  };
}
