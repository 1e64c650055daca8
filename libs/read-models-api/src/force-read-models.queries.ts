import { Injectable } from '@nestjs/common';
import type { ForceCode } from '#contracts';
import { cohortOf, forceKpis, nationalKpis, type Cohort, type KpiReport, type NationalKpis } from '#kpis';
import { problem } from '#platform';
import {
  caseloadPage,
  caseSummaries,
  caseSummary,
  investigationDetail,
  investigationsPage,
  kpiFacts,
  kpiFactsByForce,
  suspectsPage,
  victimEngagementPage,
  type CaseSummaryStatusFilter,
  type CaseSummaryView,
  type Filters,
  type InvestigationDetail,
  type InvestigationRow,
  type OfficerCaseload,
  type Page,
  type SuspectRow,
  type ViewReader,
  type VictimEngagementView,
} from '#projections';
import { ReadModelDatabase } from './read-model-database.js';

export type { Page } from '#projections';

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

  /** The deprecated `/case-summaries` alias: the investigations in the retired case summaries' shape. */
  caseSummaries(force: ForceCode, options: { status?: CaseSummaryStatusFilter; limit: number; offset: number }): Promise<CaseSummaryView[]> {
    return caseSummaries(this.reader(force), options);
  }

  async caseSummary(force: ForceCode, caseId: string): Promise<CaseSummaryView> {
    const summary = await caseSummary(this.reader(force), caseId);
    if (!summary) throw problem(404, 'not-found', 'Not found');
    return summary;
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

  caseload(force: ForceCode, f: Filters): Promise<Page<OfficerCaseload>> {
    return caseloadPage(this.reader(force), f);
  }

  async kpis(force: ForceCode, cohort: Cohort = {}): Promise<KpiReport> {
    return forceKpis(cohortOf(await kpiFacts(this.reader(force)), cohort));
  }

  async nationalKpis(cohort: Cohort = {}): Promise<NationalKpis> {
    const national: ViewReader = { view: (base) => this.db.nationalView(base), query: (sql, params) => this.db.query(sql, params) };
    return nationalKpis(kpiFactsByForce(cohortOf(await kpiFacts(national), cohort)), this.db.suppressionThreshold);
  }
}
