import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { ForceCode } from '#contracts';
import { Allow, problem } from '#platform';
import {
  CASE_SUMMARY_LIST,
  CASE_SUMMARY_STATUSES,
  CASE_SUMMARY_VIEW,
  type CaseSummaryStatusFilter,
  type CaseSummaryView,
} from '#projections';
import { ForceReadModelQueries } from './force-read-models.queries.js';

type ApiSchema = Extract<NonNullable<Parameters<typeof ApiOkResponse>[0]>, { schema?: unknown }>['schema'];
const DEPRECATED = 'Deprecated alias, kept for integrators of the retired case summaries (docs/integrators.md): use ';
const isStatus = (value: string): value is CaseSummaryStatusFilter => (CASE_SUMMARY_STATUSES as readonly string[]).includes(value);
const invalid = (field: string, reason: string): Error =>
  problem(400, 'invalid-request', 'The request is invalid', { errors: [{ field, reason }] });

/**
 * `/forces/{force}/case-summaries`: the retired case-summary read model's routes, answered from the investigations
 * read model in the old shape (ADR 0027). Same roles, filters, validation (400 problem+json) and answers as before.
 */
@ApiTags('read models')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiServiceUnavailableResponse({ description: "The force's read models are not built yet." })
@Controller('forces/:force/case-summaries')
export class CaseSummariesController {
  constructor(private readonly queries: ForceReadModelQueries) {}

  @Get()
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiOperation({
    deprecated: true,
    summary: 'Cases, latest recorded first (deprecated)',
    description: `${DEPRECATED}GET /forces/{force}/investigations.`,
  })
  @ApiQuery({ name: 'status', required: false, enum: [...CASE_SUMMARY_STATUSES] })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } })
  @ApiOkResponse({ schema: CASE_SUMMARY_LIST as ApiSchema })
  list(
    @Param('force') force: ForceCode,
    @Query('status') status: string | undefined,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
  ): Promise<CaseSummaryView[]> {
    if (status !== undefined && !isStatus(status)) throw invalid('/status', `must be one of ${CASE_SUMMARY_STATUSES.join(', ')}`);
    if (limit < 1 || limit > 500 || offset < 0) throw invalid('/limit', 'limit must be 1-500 and offset at least 0');
    return this.queries.caseSummaries(force, { ...(status ? { status } : {}), limit, offset });
  }

  @Get(':caseId')
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiOperation({
    deprecated: true,
    summary: 'One case (deprecated)',
    description: `${DEPRECATED}GET /forces/{force}/investigations/{caseId}.`,
  })
  @ApiOkResponse({ schema: CASE_SUMMARY_VIEW as ApiSchema })
  get(@Param('force') force: ForceCode, @Param('caseId', new ParseUUIDPipe()) caseId: string): Promise<CaseSummaryView> {
    return this.queries.caseSummary(force, caseId);
  }
}
