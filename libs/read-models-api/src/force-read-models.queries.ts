import { Injectable } from '@nestjs/common';
import type { ForceCode } from '#contracts';
import { forceKpis, nationalKpis, type CaseFacts, type DutyFacts, type KpiReport, type NationalKpis, type VictimFacts } from '#kpis';
import { problem } from '#platform';
import {
  kpiFactsByForce,
  page,
  paging,
  victimEngagementPage,
  viewRow,
  Where,
  type Filters,
  investigationDetail,
  investigationsPage,
  type InvestigationDetail,
  type InvestigationRow,
  type Page,
  suspectsPage,
  type SuspectRow,
  type ViewReader,
  type VictimEngagementView,
} from '#projections';
import { ReadModelDatabase } from './read-model-database.js';

export type { Page } from '#projections';
type DbRow = Record<string, unknown>;

/** One officer's caseload and learning (`GET /forces/{force}/caseload`). */
export interface OfficerCaseload {
  readonly officerId: string;
  readonly openCases: number;
  readonly accreditations: Record<string, unknown>;
  readonly trainingsCompleted: number;
  readonly trainingHours: number;
  readonly lastTrainingAt: string | null;
  readonly recordedOpenCases: number | null;
  readonly recordedAsOf: string | null;
  readonly thresholdExceeded: boolean | null;
}

/** The force read models' queries: every one names the caller's force's views, and only those. */
@Injectable()
export class ForceReadModelQueries {
  constructor(private readonly db: ReadModelDatabase) {}

  investigations(force: ForceCode, f: Filters): Promise<Page<InvestigationRow>> {
    return investigationsPage(this.reader(force), f);
  }

  async investigation(force: ForceCode, caseId: string): Promise<InvestigationDetail> {
    const detail = await investigationDetail(this.reader(force), caseId);
    if (!detail) throw problem(404, 'not-found', 'Not found');
    return detail;
  }

  suspects(force: ForceCode, f: Filters): Promise<Page<SuspectRow>> {
    return suspectsPage(this.reader(force), f);
  }

  victimEngagement(force: ForceCode, f: Filters): Promise<Page<VictimEngagementView>> {
    return victimEngagementPage(this.reader(force), f);
  }

  /** The caller's force's views, for the queries of each read model's folder. */
  private reader(force: ForceCode): ViewReader {
    return { view: (base) => this.db.forceView(force, base), query: (sql, params) => this.db.query(sql, params) };
  }

  async caseload(force: ForceCode, f: Filters): Promise<Page<OfficerCaseload>> {
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
