import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OFFENCE_GROUPS, OUTCOME_CODES, type ForceCode } from '#contracts';
import {
  MEASURE_OFFENCE_GROUP_NAMES,
  type Cohort,
  type KpiReport,
  type MeasuresReport,
  type MeasuresScope,
  type NationalKpis,
  type NationalMeasures,
} from '#kpis';

export type EnglandAndWalesKpis = Pick<NationalKpis, 'threshold' | 'national'>;
import { Allow, ROLES } from '#platform';
import {
  DUTY_QUERY,
  INVESTIGATION_FILTERS,
  KPI_FILTERS,
  SUSPECT_FILTERS,
  VICTIM_FILTERS,
  CASELOAD_FILTERS,
} from './force-read-models.filters.js';
import { ForceReadModelQueries, type Page } from './force-read-models.queries.js';
import { parseFilters } from './filters.js';
import { EnglandAndWalesKpisView, KpiReportView, MeasuresView, NationalKpisView, NationalMeasuresView } from './views.dto.js';
import {
  CASELOAD_PAGE,
  INVESTIGATION_DETAIL_VIEW,
  INVESTIGATION_PAGE,
  INVESTIGATION_STATUSES,
  SUSPECT_PAGE,
  SUSPECT_STATUSES,
  VICTIM_ENGAGEMENT_PAGE,
  type InvestigationDetail,
  type InvestigationRow,
  type OfficerCaseload,
  type SuspectRow,
  type VictimEngagementView,
} from '#projections';

type QueryString = Record<string, unknown>;
/** A view's OpenAPI schema derived from its read model's column declaration (libs/projections `viewSchema`). */
type ApiSchema = Extract<NonNullable<Parameters<typeof ApiOkResponse>[0]>, { schema?: unknown }>['schema'];
const PAGING_DOCS = [
  ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }),
  ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } }),
];
const KPI_COHORT_DOCS = [
  ApiQuery({
    name: 'recordedFrom',
    required: false,
    description: 'Only cases recorded from this instant (inclusive, ISO 8601): a cohort.',
  }),
  ApiQuery({ name: 'recordedTo', required: false, description: 'Only cases recorded before this instant (exclusive).' }),
  ApiQuery({ name: 'offence', required: false, enum: [...OFFENCE_GROUPS] }),
];
const cohortDocs = (target: object, key: string | symbol, descriptor: PropertyDescriptor): void => {
  for (const decorate of KPI_COHORT_DOCS) decorate(target, key, descriptor);
};
const cohortOfQuery = (query: QueryString): Cohort => parseFilters(query, KPI_FILTERS);
const MEASURES_DOCS = [
  ApiQuery({
    name: 'period',
    required: false,
    description:
      'A calendar quarter (2025-Q3), a financial year (FY2024-25) or rolling-12-months (the default: the four latest complete quarters).',
  }),
  ApiQuery({ name: 'from', required: false, description: 'First day of the period (YYYY-MM-DD), with `to`; instead of `period`.' }),
  ApiQuery({ name: 'to', required: false, description: 'Last day of the period (YYYY-MM-DD, included).' }),
  ApiQuery({ name: 'offences', required: false, enum: MEASURE_OFFENCE_GROUP_NAMES, description: 'Offence group (default all).' }),
];
const measuresDocs = (target: object, key: string | symbol, descriptor: PropertyDescriptor): void => {
  for (const decorate of MEASURES_DOCS) decorate(target, key, descriptor);
};
const paged = (target: object, key: string | symbol, descriptor: PropertyDescriptor): void => {
  for (const decorate of PAGING_DOCS) decorate(target, key, descriptor);
};

/**
 * A force's read models, for that force's callers only (the AuthGuard answers another force's 404, and an id of
 * another force's case 404 too). Filters are checked: an unknown or malformed one is a 422 naming it.
 */
@ApiTags('read models')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiUnprocessableEntityResponse({ description: 'A filter is unknown or malformed (problem+json naming it).' })
@ApiServiceUnavailableResponse({ description: "The force's read models are not built yet." })
@Controller('forces/:force')
export class ForceReadModelsController {
  constructor(private readonly queries: ForceReadModelQueries) {}

  @Get('investigations')
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiQuery({ name: 'status', required: false, enum: [...INVESTIGATION_STATUSES] })
  @ApiQuery({ name: 'offence', required: false, enum: [...OFFENCE_GROUPS] })
  @ApiQuery({ name: 'investigatorId', required: false })
  @ApiQuery({ name: 'outcomeCode', required: false, enum: [...OUTCOME_CODES] })
  @ApiQuery({ name: 'reportedFrom', required: false, description: 'Inclusive, ISO 8601.' })
  @ApiQuery({ name: 'reportedTo', required: false, description: 'Exclusive, ISO 8601.' })
  @ApiQuery({ name: 'recordedFrom', required: false })
  @ApiQuery({ name: 'recordedTo', required: false })
  @paged
  @ApiOkResponse({ schema: INVESTIGATION_PAGE as ApiSchema, description: 'Newest report first.' })
  investigations(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<Page<InvestigationRow>> {
    return this.queries.investigations(force, parseFilters(query, INVESTIGATION_FILTERS));
  }

  @Get('investigations/:caseId')
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiOkResponse({ schema: INVESTIGATION_DETAIL_VIEW as ApiSchema })
  investigation(@Param('force') force: ForceCode, @Param('caseId', new ParseUUIDPipe()) caseId: string): Promise<InvestigationDetail> {
    return this.queries.investigation(force, caseId);
  }

  @Get('suspects')
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiQuery({ name: 'status', required: false, enum: [...SUSPECT_STATUSES] })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiQuery({ name: 'repeatFlag', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'bailEndsBy', required: false, description: 'Bail ending on or before this date (YYYY-MM-DD).' })
  @paged
  @ApiOkResponse({ schema: SUSPECT_PAGE as ApiSchema })
  suspects(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<Page<SuspectRow>> {
    return this.queries.suspects(force, parseFilters(query, SUSPECT_FILTERS));
  }

  @Get('victim-engagement')
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiQuery({
    name: 'duties',
    required: false,
    enum: [...DUTY_QUERY],
    description: 'Only victims with an open update duty, or with a missed deadline.',
  })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiQuery({ name: 'withdrawn', required: false, enum: ['true', 'false'] })
  @paged
  @ApiOkResponse({
    schema: VICTIM_ENGAGEMENT_PAGE as ApiSchema,
    description: 'Derived from the victim engagement columns (libs/projections).',
  })
  victimEngagement(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<Page<VictimEngagementView>> {
    return this.queries.victimEngagement(force, parseFilters(query, VICTIM_FILTERS));
  }

  @Get('caseload')
  @Allow('supervisor', 'administrator')
  @ApiQuery({ name: 'officerId', required: false })
  @paged
  @ApiOkResponse({ schema: CASELOAD_PAGE as ApiSchema })
  caseload(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<Page<OfficerCaseload>> {
    return this.queries.caseload(force, parseFilters(query, CASELOAD_FILTERS));
  }

  @Get('kpis')
  @Allow('officer', 'supervisor', 'force-integration', 'administrator')
  @cohortDocs
  @ApiOkResponse({ type: KpiReportView, description: "The force's own KPIs (docs/kpis.md), unsuppressed; of a cohort of cases if asked." })
  kpis(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<KpiReport> {
    return this.queries.kpis(force, cohortOfQuery(query));
  }

  @Get('measures')
  @Allow('officer', 'supervisor', 'force-integration', 'administrator')
  @measuresDocs
  @ApiOkResponse({
    type: MeasuresView,
    description: "The force's own measures by period (docs/kpis.md, the official definitions), unsuppressed.",
  })
  measures(@Param('force') force: ForceCode, @Query() query: QueryString): Promise<MeasuresScope & MeasuresReport> {
    return this.queries.measures(force, query);
  }
}

/**
 * The national measures by period: per force and for England and Wales, small counts suppressed so that no two
 * periods can be differenced into a hidden count (whole quarters only; docs/kpis.md).
 */
@ApiTags('read models')
@ApiBearerAuth()
@ApiServiceUnavailableResponse({ description: 'The national read model is not built yet.' })
@ApiUnprocessableEntityResponse({ description: 'The period is malformed or not made of whole quarters, or the offence group is unknown.' })
@Controller('national/measures')
export class NationalMeasuresController {
  constructor(private readonly queries: ForceReadModelQueries) {}

  @Get()
  @Allow('national-team', 'national-auditor', 'researcher')
  @measuresDocs
  @ApiOkResponse({ type: NationalMeasuresView })
  measures(@Query() query: QueryString): Promise<NationalMeasures> {
    return this.queries.nationalMeasures(query);
  }

  /** England and Wales as a whole, for every role of every force: the national row only, suppressed as there (T40). */
  @Get('england-and-wales')
  @Allow(...ROLES)
  @measuresDocs
  @ApiOkResponse({ type: NationalMeasuresView })
  async englandAndWales(@Query() query: QueryString): Promise<Omit<NationalMeasures, 'forces'>> {
    const { period, offences, threshold, quarters, national } = await this.queries.nationalMeasures(query);
    return { period, offences, threshold, quarters, national };
  }
}

/** The national KPIs: per force and nationally, the same definitions, small counts suppressed. No personal data. */
@ApiTags('read models')
@ApiBearerAuth()
@ApiServiceUnavailableResponse({ description: 'The national read model is not built yet.' })
@Controller('national/kpis')
export class NationalKpisController {
  constructor(private readonly queries: ForceReadModelQueries) {}

  @Get()
  @Allow('national-team', 'national-auditor', 'researcher')
  @cohortDocs
  @ApiOkResponse({ type: NationalKpisView })
  kpis(@Query() query: QueryString): Promise<NationalKpis> {
    return this.queries.nationalKpis(cohortOfQuery(query));
  }

  /**
   * England and Wales as a whole, for every role of every force: the figure a force compares its own with (the
   * console's trends). Only the national row of the same table, suppressed exactly as there; no force's row (T40).
   */
  @Get('england-and-wales')
  @Allow(...ROLES)
  @cohortDocs
  @ApiOkResponse({ type: EnglandAndWalesKpisView })
  async englandAndWales(@Query() query: QueryString): Promise<EnglandAndWalesKpis> {
    const { threshold, national } = await this.queries.nationalKpis(cohortOfQuery(query));
    return { threshold, national };
  }
}
