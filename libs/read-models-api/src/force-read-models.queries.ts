import { Injectable } from '@nestjs/common';
import type { ForceCode } from '#contracts';
import { forceKpis, nationalKpis, type CaseFacts, type DutyFacts, type KpiReport, type NationalKpis, type VictimFacts } from '#kpis';
import { problem } from '#platform';
import { kpiFactsByForce } from '#projections';
import type { FilterValue } from './filters.js';
import { Where } from './filters.js';
import { ReadModelDatabase, viewRow } from './read-model-database.js';

export interface Page<T> {
  readonly items: T[];
  readonly limit: number;
  readonly offset: number;
  /** The offset of the next page, or null on the last one. */
  readonly nextOffset: number | null;
}
type Filters = Partial<Record<string, FilterValue>>;
type DbRow = Record<string, unknown>;

const page = <T>(rows: DbRow[], f: Filters): Page<T> => {
  const limit = (f['limit'] as number | undefined) ?? 50;
  const offset = (f['offset'] as number | undefined) ?? 0;
  return { items: rows.map((r) => viewRow<T>(r)), limit, offset, nextOffset: rows.length === limit ? offset + limit : null };
};
const paging = (w: Where, f: Filters): string => `LIMIT ${w.param((f['limit']) ?? 50)} OFFSET ${w.param((f['offset']) ?? 0)}`;
const iso = (value: unknown): unknown => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value).toISOString() : value);

/** The force read models' queries: every one names the caller's force's views, and only those. */
@Injectable()
export class ForceReadModelQueries {
  constructor(private readonly db: ReadModelDatabase) {}

  async investigations(force: ForceCode, f: Filters): Promise<Page<DbRow>> {
    const w = new Where()
      .add((p) => `status = ${p}`, f['status'])
      .add((p) => `offence = ${p}`, f['offence'])
      .add((p) => `investigator_id = ${p}`, f['investigatorId'])
      .add((p) => `outcome_code = ${p}`, f['outcomeCode'])
      .add((p) => `reported_at >= ${p}`, f['reportedFrom'])
      .add((p) => `reported_at < ${p}`, f['reportedTo'])
      .add((p) => `recorded_at >= ${p}`, f['recordedFrom'])
      .add((p) => `recorded_at < ${p}`, f['recordedTo']);
    const sql = `SELECT * FROM ${this.db.forceView(force, 'investigations')} ${w.toString()} ORDER BY reported_at DESC NULLS LAST, case_id ${paging(w, f)}`;
    return page(await this.db.query(sql, w.params), f);
  }

  async investigation(force: ForceCode, caseId: string): Promise<DbRow> {
    const [row] = await this.db.query<DbRow>(`SELECT * FROM ${this.db.forceView(force, 'investigations')} WHERE case_id = $1`, [caseId]);
    if (!row) throw problem(404, 'not-found', 'Not found');
    const timeline = await this.db.query<DbRow>(
      `SELECT event_type, occurred_at, actor FROM ${this.db.forceView(force, 'investigation_timeline')} WHERE case_id = $1 ORDER BY occurred_at, stream_id, revision`,
      [caseId],
    );
    return { ...viewRow<DbRow>(row), timeline: timeline.map((t) => viewRow(t)) };
  }

  async suspects(force: ForceCode, f: Filters): Promise<Page<DbRow>> {
    const w = new Where()
      .add((p) => `status = ${p}`, f['status'])
      .add((p) => `case_id = ${p}`, f['caseId'])
      .add((p) => `repeat_flag = ${p}`, f['repeatFlag'])
      .add((p) => `bail_ends_on <= ${p}`, f['bailEndsBy']);
    const sql = `SELECT * FROM ${this.db.forceView(force, 'suspects')} ${w.toString()} ORDER BY last_event_at DESC, suspect_id ${paging(w, f)}`;
    return page(await this.db.query(sql, w.params), f);
  }

  async victimEngagement(force: ForceCode, f: Filters): Promise<Page<DbRow>> {
    const duties = this.db.forceView(force, 'victim_update_duties');
    const w = new Where()
      .add((p) => `v.case_id = ${p}`, f['caseId'])
      .add((p) => `v.withdrawn = ${p}`, f['withdrawn'])
      .add((p) => `EXISTS (SELECT 1 FROM ${duties} x WHERE x.victim_id = v.victim_id AND (${p} = 'missed' AND x.missed OR ${p} = 'open' AND x.status = 'open'))`, f['duties']);
    const sql = `
      SELECT v.*, COALESCE(d.open_duties, '[]'::jsonb) AS open_duties, COALESCE(d.missed, 0) AS missed_deadlines
      FROM ${this.db.forceView(force, 'victim_engagement')} v
      LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('triggerEventId', x.trigger_event_id, 'trigger', x.trigger_kind, 'triggeredAt', x.triggered_at, 'dueBy', x.due_by, 'missed', x.missed)
                         ORDER BY x.due_by) FILTER (WHERE x.status = 'open') AS open_duties,
               count(*) FILTER (WHERE x.missed)::int AS missed
        FROM ${duties} x WHERE x.victim_id = v.victim_id
      ) d ON true
      ${w.toString()} ORDER BY v.last_event_at DESC, v.victim_id ${paging(w, f)}`;
    const result = page<DbRow>(await this.db.query(sql, w.params), f);
    return {
      ...result,
      items: result.items.map((v) => ({ ...v, openDuties: (v['openDuties'] as DbRow[]).map((d) => Object.fromEntries(Object.entries(d).map(([k, x]) => [k, iso(x)]))) })),
    };
  }

  async caseload(force: ForceCode, f: Filters): Promise<Page<DbRow>> {
    const w = new Where();
    const officer = f['officerId'] === undefined ? '' : `WHERE COALESCE(a.officer_id, l.officer_id) = ${w.param(f['officerId'])}`;
    const sql = `
      SELECT COALESCE(a.officer_id, l.officer_id) AS officer_id, COALESCE(a.open_cases, 0) AS open_cases,
             COALESCE(l.accreditations, '{}'::jsonb) AS accreditations, COALESCE(l.trainings_completed, 0) AS trainings_completed,
             COALESCE(l.training_hours, 0)::float8 AS training_hours, l.last_training_at, l.recorded_open_cases, l.recorded_as_of, l.threshold_exceeded
      FROM (SELECT officer_id, count(*) FILTER (WHERE open)::int AS open_cases FROM ${this.db.forceView(force, 'case_assignments')}
            WHERE officer_id IS NOT NULL GROUP BY officer_id) a
      FULL JOIN ${this.db.forceView(force, 'officer_learning')} l ON l.officer_id = a.officer_id
      ${officer} ORDER BY 1 ${paging(w, f)}`;
    return page(await this.db.query(sql, w.params), f);
  }

  async kpis(force: ForceCode): Promise<KpiReport> {
    const view = (base: string) => this.db.forceView(force, base);
    return forceKpis(await this.facts(view));
  }

  async nationalKpis(): Promise<NationalKpis> {
    const facts = await this.facts((base) => this.db.nationalView(base));
    return nationalKpis(kpiFactsByForce(facts.cases, facts.victims, facts.duties), this.db.suppressionThreshold);
  }

  private async facts(view: (base: string) => string): Promise<{ cases: CaseFacts[]; victims: VictimFacts[]; duties: DutyFacts[] }> {
    const [cases, victims, duties] = await Promise.all([
      this.db.query<DbRow>(`SELECT * FROM ${view('kpi_cases')}`),
      this.db.query<DbRow>(`SELECT * FROM ${view('kpi_victims')}`),
      this.db.query<DbRow>(`SELECT * FROM ${view('kpi_duties')}`),
    ]);
    return { cases: cases.map((r) => viewRow<CaseFacts>(r)), victims: victims.map((r) => viewRow<VictimFacts>(r)), duties: duties.map((r) => viewRow<DutyFacts>(r)) };
  }
}
