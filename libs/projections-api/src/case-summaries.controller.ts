import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Query as QueryParam } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ForceCode } from '#contracts';
import { Allow, problem } from '#platform';
import { getCaseSummary, listCaseSummaries, type CaseSummary } from '#projections';
import { ProjectorService } from './projector.service.js';

export class ListCaseSummariesQuery extends Query<CaseSummary[]> {
  constructor(
    readonly force: ForceCode,
    readonly filter: { status?: string; limit: number; offset: number },
  ) {
    super();
  }
}

export class GetCaseSummaryQuery extends Query<CaseSummary> {
  constructor(
    readonly force: ForceCode,
    readonly caseId: string,
  ) {
    super();
  }
}

@QueryHandler(ListCaseSummariesQuery)
export class ListCaseSummariesHandler implements IQueryHandler<ListCaseSummariesQuery, CaseSummary[]> {
  constructor(private readonly projectors: ProjectorService) {}
  execute({ force, filter }: ListCaseSummariesQuery): Promise<CaseSummary[]> {
    return listCaseSummaries(this.projectors.projectorOf(force).manager, filter);
  }
}

@QueryHandler(GetCaseSummaryQuery)
export class GetCaseSummaryHandler implements IQueryHandler<GetCaseSummaryQuery, CaseSummary> {
  constructor(private readonly projectors: ProjectorService) {}
  async execute({ force, caseId }: GetCaseSummaryQuery): Promise<CaseSummary> {
    const row = await getCaseSummary(this.projectors.projectorOf(force).manager, caseId);
    if (!row) throw problem(404, 'not-found', 'Not found');
    return row;
  }
}

const STATUSES = ['recorded', 'under-investigation', 'closed'];

@ApiTags('projections')
@ApiBearerAuth()
@Controller('forces/:force/case-summaries')
export class CaseSummariesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Allow('officer', 'supervisor', 'force-integration')
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  list(
    @Param('force') force: ForceCode,
    @QueryParam('status') status: string | undefined,
    @QueryParam('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @QueryParam('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
  ): Promise<CaseSummary[]> {
    if (status !== undefined && !STATUSES.includes(status)) {
      throw problem(400, 'invalid-request', 'The request is invalid', { errors: [{ field: '/status', reason: `must be one of ${STATUSES.join(', ')}` }] });
    }
    if (limit < 1 || limit > 500 || offset < 0) {
      throw problem(400, 'invalid-request', 'The request is invalid', { errors: [{ field: '/limit', reason: 'limit must be 1-500 and offset at least 0' }] });
    }
    return this.queries.execute(new ListCaseSummariesQuery(force, { ...(status ? { status } : {}), limit, offset }));
  }

  @Get(':caseId')
  @Allow('officer', 'supervisor', 'force-integration')
  get(@Param('force') force: ForceCode, @Param('caseId', new ParseUUIDPipe()) caseId: string): Promise<CaseSummary> {
    return this.queries.execute(new GetCaseSummaryQuery(force, caseId));
  }
}

