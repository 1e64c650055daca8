import { Inject, Injectable } from '@nestjs/common';
import type { ForceCode } from '#contracts';
import {
  cohortOf,
  forceKpis,
  forceMeasures,
  nationalKpis,
  nationalMeasures,
  NotWholeQuarters,
  type Cohort,
  type KpiReport,
  type MeasuresReport,
  type MeasuresScope,
  type NationalKpis,
  type NationalMeasures,
} from '#kpis';
import { CLOCK, problem, type Clock } from '#platform';
import { measuresQuery } from './measures-query.js';
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
  constructor(
    private readonly db: ReadModelDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async investigations(force: ForceCode, f: Filters): Promise<Page<InvestigationRow>> {
    return investigationsPage(await this.reader(force), f);
  }

  async investigation(force: ForceCode, caseId: string): Promise<InvestigationDetail> {
    const detail = await investigationDetail(await this.reader(force), caseId);
    if (!detail) throw problem(404, 'not-found', 'Not found');
    return detail;
  }

  /** The deprecated `/case-summaries` alias: the investigations in the retired case summaries' shape. */
  async caseSummaries(
    force: ForceCode,
    options: { status?: CaseSummaryStatusFilter; limit: number; offset: number },
  ): Promise<CaseSummaryView[]> {
    return caseSummaries(await this.reader(force), options);
  }

  async caseSummary(force: ForceCode, caseId: string): Promise<CaseSummaryView> {
    const summary = await caseSummary(await this.reader(force), caseId);
    if (!summary) throw problem(404, 'not-found', 'Not found');
    return summary;
  }

  async suspects(force: ForceCode, f: Filters): Promise<Page<SuspectRow>> {
    return suspectsPage(await this.reader(force), f);
  }

  async victimEngagement(force: ForceCode, f: Filters): Promise<Page<VictimEngagementView>> {
    return victimEngagementPage(await this.reader(force), f);
  }

  /** The caller's force's views, for the queries of each read model's folder. */
  private reader(force: ForceCode): Promise<ViewReader> {
    return this.db.forceReader(force);
  }

  async caseload(force: ForceCode, f: Filters): Promise<Page<OfficerCaseload>> {
    return caseloadPage(await this.reader(force), f);
  }

  async kpis(force: ForceCode, cohort: Cohort = {}): Promise<KpiReport> {
    return forceKpis(cohortOf(await kpiFacts(await this.reader(force)), cohort));
  }

  /** The force's own measures by period (docs/kpis.md, "Measures by period"), unsuppressed, for any period. */
  async measures(force: ForceCode, query: Record<string, unknown>): Promise<MeasuresScope & MeasuresReport> {
    const { period, offences } = measuresQuery(query, this.clock.now());
    return forceMeasures(await kpiFacts(await this.reader(force)), period, offences);
  }

  /** The national measures, suppressed across periods: a period made of whole quarters, or a 422 naming `/period`. */
  async nationalMeasures(query: Record<string, unknown>): Promise<NationalMeasures> {
    const { period, offences } = measuresQuery(query, this.clock.now());
    const facts = kpiFactsByForce(await kpiFacts(this.db.nationalReader()));
    try {
      return nationalMeasures(facts, period, offences, this.db.suppressionThreshold);
    } catch (error) {
      if (!(error instanceof NotWholeQuarters)) throw error;
      throw problem(422, 'invalid-filter', 'The period or offence group is invalid', {
        errors: [
          {
            field: '/period',
            reason: `${error.message}: national figures are published by whole quarters only, so that two overlapping periods cannot be differenced into a suppressed count`,
          },
        ],
      });
    }
  }

  async nationalKpis(cohort: Cohort = {}): Promise<NationalKpis> {
    const facts = kpiFactsByForce(await kpiFacts(this.db.nationalReader()));
    try {
      return nationalKpis(facts, this.db.suppressionThreshold, cohort);
    } catch (error) {
      if (!(error instanceof NotWholeQuarters)) throw error;
      throw problem(422, 'invalid-filter', 'The cohort is invalid', {
        errors: [
          {
            field: '/recordedFrom',
            reason: `${error.message}: national figures are published by whole quarters only, so that two overlapping cohorts cannot be differenced into a suppressed count`,
          },
        ],
      });
    }
  }
}
