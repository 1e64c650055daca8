import { Controller, DefaultValuePipe, Get, Inject, Injectable, Logger, Module, Param, ParseIntPipe, ParseUUIDPipe, Query as QueryParam, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule, Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { ForceCode } from '#contracts';
import type { MessageBus } from '#messaging';
import { ForceProjector, forceSchema, type CaseSummary } from '#projections';
import { Allow } from './auth.guard.js';
import type { BackboneConfig } from './config.js';
import { problem } from './problem.js';
import { BACKBONE_CONFIG, MESSAGE_BUS } from './tokens.js';

/** One ForceProjector per configured force, each on its own consumer group and schema. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  private readonly projectors = new Map<string, ForceProjector>();

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the projector');
    for (const force of this.config.forces) {
      const projector = await ForceProjector.open({
        databaseUrl: this.config.databaseUrl,
        force,
        schema: forceSchema(force, this.config.projectionSchemaPrefix),
        topicPrefix: this.config.topicPrefix,
      });
      await projector.start(this.bus);
      this.projectors.set(force, projector);
    }
    this.logger.log(`projecting ${this.projectors.size} force(s): ${[...this.projectors.keys()].join(', ')}`);
  }

  /** The force's projector, or a 404 when this process does not project that force. */
  projectorOf(force: string): ForceProjector {
    const projector = this.projectors.get(force);
    if (!projector) throw problem(404, 'not-found', 'Not found');
    return projector;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const projector of this.projectors.values()) await projector.close();
    this.projectors.clear();
  }
}

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
    return this.projectors.projectorOf(force).listCases(filter);
  }
}

@QueryHandler(GetCaseSummaryQuery)
export class GetCaseSummaryHandler implements IQueryHandler<GetCaseSummaryQuery, CaseSummary> {
  constructor(private readonly projectors: ProjectorService) {}
  async execute({ force, caseId }: GetCaseSummaryQuery): Promise<CaseSummary> {
    const row = await this.projectors.projectorOf(force).getCase(caseId);
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

@Module({
  imports: [CqrsModule],
  controllers: [CaseSummariesController],
  providers: [ProjectorService, ListCaseSummariesHandler, GetCaseSummaryHandler],
  exports: [ProjectorService],
})
export class ProjectorModule {}
