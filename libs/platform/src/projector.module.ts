import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  Header,
  HttpCode,
  Inject,
  Injectable,
  Logger,
  Module,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query as QueryParam,
  Req,
  Res,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CqrsModule, Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import pg from 'pg';
import {
  FORCE_CODES,
  forceOnboardingStream,
  fromKafkaRecord,
  isForceCode,
  NATIONAL,
  nationalTopic,
  PlatformEventTypes,
  type ForceCode,
  type ForceOnboardedData,
  type ProjectionIsolation,
} from '#contracts';
import type { DeadLetterStore, EventStore, LoopRegistry } from '#event-store';
import type { ConsumedRecord, MessageBus, RunningConsumer } from '#messaging';
import {
  DeadLetterNotFoundError,
  PROJECTOR_READ_MODELS,
  ForceProjector,
  forceSchema,
  NationalProjector,
  nationalSchema,
  RebuildRunningError,
  UnknownReadModelError,
  type CaseSummary,
  type DeadLetter,
  type ReadModelLag,
  type RetryOutcome,
} from '#projections';
import { Allow, Public } from './auth.guard.js';
import { CommandContext, receivedAt } from './command-context.js';
import type { BackboneConfig } from './config.js';
import { DecisionRunner, type DecisionContext } from './decision-runner.js';
import { forceOnboardingDecider, ForceOnboardingView, OnboardForceDto } from './onboarding.js';
import { problem } from './problem.js';
import { metricsTokenAccepts, ProjectionMetrics } from './projection-metrics.js';
import { BACKBONE_CONFIG, EVENT_STORE, LOG_STORE, LOOPS, PROJECTOR_BUS } from './tokens.js';

/** Where one force's read models live. */
export interface ForcePlacement {
  readonly isolation: ProjectionIsolation;
  readonly schema: string;
  readonly database: string | null;
}

/** The URL of another database on the same server (same credentials and options). */
export function databaseUrlFor(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The placement a force gets when nothing chose another: `<prefix><force>`, in its own database or not. */
export function defaultForcePlacement(config: Pick<BackboneConfig, 'projectionSchemaPrefix'>, force: ForceCode, isolation: ProjectionIsolation): ForcePlacement {
  const schema = forceSchema(force, config.projectionSchemaPrefix);
  return { isolation, schema, database: isolation === 'database' ? schema : null };
}

/** The force's onboarding as recorded in the log (undefined: not onboarded by command). */
export async function readForceOnboarding(store: EventStore, force: ForceCode): Promise<ForceOnboardedData | undefined> {
  let found: ForceOnboardedData | undefined;
  for await (const event of store.readStream(forceOnboardingStream(force))) {
    if (event.type === PlatformEventTypes.ForceOnboarded && event.metadata.force === NATIONAL) found = event.data as ForceOnboardedData;
  }
  return found;
}

/** Creates the database if it does not exist (CREATE DATABASE cannot run in a transaction, nor with IF NOT EXISTS). */
export async function ensureDatabase(databaseUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`not a safe database name: ${database}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`nom-create-database:${database}`]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

/**
 * The force projection runtimes of this process (ADR 0005, ADR 0013): one per force, each on its own consumer
 * group and schema (or database). Forces come from NOM_FORCES (the bootstrap default) and from the onboarding
 * events (`force-onboarded`): read from the store at start, then followed on the national topic, so that a
 * force onboarded while the projector runs starts projecting at once, from its topic's beginning.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projector');
  private readonly projectors = new Map<string, ForceProjector>();
  private readonly placements = new Map<string, ForcePlacement>();
  private readonly starting = new Map<string, Promise<ForceProjector>>();
  private platformConsumer?: RunningConsumer;
  private nationalProjector?: NationalProjector;

  constructor(
    @Inject(PROJECTOR_BUS) private readonly bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOG_STORE) private readonly logStore: EventStore & DeadLetterStore,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the projector');
    // The national read models (national KPIs): one tail of the whole log as stored (personal fields encrypted).
    this.nationalProjector = await NationalProjector.open({
      databaseUrl: this.config.databaseUrl,
      store: this.logStore,
      schema: nationalSchema(this.config.projectionSchemaPrefix),
    });
    this.nationalProjector.start({
      backoff: this.config.retry,
      onState: this.loops.report,
      onError: (_error, state) => this.logger.warn(`national projection ${state.state}, attempt ${state.attempt}, retrying in ${state.retryInMs ?? 0} ms: ${state.lastError ?? ''}`),
    });
    const onboarded = await this.onboardedForces();
    for (const force of this.config.forces) {
      if (!onboarded.has(force)) await this.startForce(force, this.defaultPlacement(force, this.config.projectionIsolation));
    }
    for (const data of onboarded.values()) await this.startForce(data.force, data);
    const topic = nationalTopic(this.config.topicPrefix);
    await this.bus.ensureTopics([topic]);
    this.platformConsumer = await this.bus.consume({
      topic,
      groupId: `${this.config.topicPrefix}.projector.platform`,
      name: 'projector:onboarding',
      handleBatch: (r) => this.onNationalRecords(r),
      onState: this.loops.report,
    });
    this.logger.log(`projecting ${this.projectors.size} force(s): ${[...this.projectors.keys()].join(', ')}`);
  }

  /** The placement a force gets when the command does not choose: `<prefix><force>`, in its own database or not. */
  defaultPlacement(force: ForceCode, isolation: ProjectionIsolation): ForcePlacement {
    return defaultForcePlacement(this.config, force, isolation);
  }

  private async onboardedForces(): Promise<Map<string, ForceOnboardedData>> {
    const out = new Map<string, ForceOnboardedData>();
    for (const force of FORCE_CODES) {
      const data = await readForceOnboarding(this.store, force);
      if (data) out.set(force, data);
    }
    return out;
  }

  private async onNationalRecords(records: readonly ConsumedRecord[]): Promise<void> {
    for (const record of records) {
      let event;
      try {
        event = fromKafkaRecord(record);
      } catch {
        continue; // not ours to judge: the national topic's own consumers dead-letter what they cannot read
      }
      if (event.type !== PlatformEventTypes.ForceOnboarded || event.metadata.force !== NATIONAL) continue;
      const data = event.data as ForceOnboardedData;
      if (!isForceCode(data.force)) continue;
      await this.startForce(data.force, data);
    }
  }

  /** Starts a force's runtime (idempotent): its database and schema, its topic and consumer group. */
  startForce(force: ForceCode, placement: ForcePlacement): Promise<ForceProjector> {
    const running = this.projectors.get(force);
    if (running) return Promise.resolve(running);
    const pending = this.starting.get(force);
    if (pending) return pending;
    const start = (async () => {
      const base = this.config.databaseUrl!;
      if (placement.database) await ensureDatabase(base, placement.database);
      const projector = await ForceProjector.open({
        databaseUrl: placement.database ? databaseUrlFor(base, placement.database) : base,
        force,
        schema: placement.schema,
        topicPrefix: this.config.topicPrefix,
        store: this.store,
        readModels: PROJECTOR_READ_MODELS,
        onLoopState: this.loops.report,
      });
      await projector.start(this.bus);
      this.projectors.set(force, projector);
      this.placements.set(force, placement);
      this.logger.log(`projecting ${force} into ${placement.database ? `database ${placement.database}, ` : ''}schema ${placement.schema}`);
      return projector;
    })().finally(() => this.starting.delete(force));
    this.starting.set(force, start);
    return start;
  }

  /** The force's projector, or a 404 when this process does not project that force. */
  projectorOf(force: string): ForceProjector {
    const projector = this.projectors.get(force);
    if (!projector) throw problem(404, 'not-found', 'Not found');
    return projector;
  }

  forces(): { force: string; placement: ForcePlacement }[] {
    return [...this.placements].map(([force, placement]) => ({ force, placement })).sort((a, b) => a.force.localeCompare(b.force));
  }

  async lag(force: string): Promise<ReadModelLag[]> {
    return this.projectorOf(force).lag();
  }

  /** Dead letters of every reader of the log (relay, national projector, process managers, ...), by reader. */
  readerDeadLetters(): Promise<ReadonlyMap<string, number>> {
    return this.logStore.deadLetterCounts();
  }

  /** The national read models' runtime (started at bootstrap). */
  national(): NationalProjector {
    if (!this.nationalProjector) throw problem(503, 'unavailable', 'The national projection is not running');
    return this.nationalProjector;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.platformConsumer?.stop();
    await this.nationalProjector?.close();
    await Promise.allSettled([...this.starting.values()]);
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

const READ_MODEL_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Operating a force's projections: lag, dead letters and their retry (the force's integration team and
 * administrator, who run the force's systems), and rebuilds (administrator only: a rebuild costs the force's
 * database a full read of its history).
 */
@ApiTags('projections')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@Controller('forces/:force/projections')
export class ProjectionsController {
  constructor(
    private readonly projectors: ProjectorService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /** Per read model (and build): events and seconds behind the force's log. */
  @Get('lag')
  @Allow('force-integration', 'administrator')
  async lag(@Param('force') force: ForceCode): Promise<{ force: string; readModels: ReadModelLag[]; deadLetters: number }> {
    const deadLetters = (await this.projectors.projectorOf(force).deadLetters()).length;
    return { force, readModels: await this.projectors.lag(force), deadLetters };
  }

  /** Unresolved dead letters (poison records, and events a read model failed to apply), oldest first. */
  @Get('dead-letters')
  @Allow('force-integration', 'administrator')
  deadLetters(@Param('force') force: ForceCode): Promise<DeadLetter[]> {
    return this.projectors.projectorOf(force).deadLetters();
  }

  /** Applies a dead letter again through the current code: 200 when it now applies (resolved), 409 when it still fails. */
  @Post('dead-letters/:deadLetterId/retry')
  @HttpCode(200)
  @Allow('force-integration', 'administrator')
  async retry(@Param('force') force: ForceCode, @Param('deadLetterId') id: string): Promise<RetryOutcome> {
    try {
      const outcome = await this.projectors.projectorOf(force).retryDeadLetter(id);
      if (!outcome.resolved) throw problem(409, 'state/dead-letter-still-failing', 'The dead letter still fails', { detail: outcome.reason ?? '' });
      return outcome;
    } catch (error) {
      if (error instanceof DeadLetterNotFoundError) throw problem(404, 'not-found', 'Not found');
      throw error;
    }
  }

  /** Rebuilds a read model from the event store into a new build while the live one serves; switches when caught up. */
  @Post(':readModel/rebuild')
  @HttpCode(202)
  @Allow('administrator')
  @ApiAcceptedResponse({ description: 'The rebuild runs; its build shows in .../projections/lag with status building until it switches.' })
  rebuild(@Param('force') force: ForceCode, @Param('readModel') readModel: string): { readModel: string; status: 'building' } {
    const projector = this.projectors.projectorOf(force);
    if (!READ_MODEL_NAME.test(readModel) || !projector.readModels.has(readModel)) throw problem(404, 'not-found', 'Not found');
    const logger = new Logger('projector');
    projector
      .rebuild(readModel, { dropOld: this.config.projectionDropOldBuild })
      .then((r) => logger.log(`rebuilt ${force}/${readModel} as build ${r.version} (${r.historyEvents} events from the store, ${r.tailEvents} at the hand-over)`))
      .catch((error: unknown) => {
        if (error instanceof RebuildRunningError || error instanceof UnknownReadModelError) return;
        logger.error(`rebuild of ${force}/${readModel} failed: ${(error as Error).message}`);
      });
    return { readModel, status: 'building' };
  }
}

/** The national team's view of the platform: onboarding forces, and every force's projection lag. */
@ApiTags('projections')
@ApiBearerAuth()
@Controller('national')
export class NationalProjectionsController {
  constructor(
    private readonly projectors: ProjectorService,
    private readonly runner: DecisionRunner,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /**
   * Onboards a force (national team only: onboarding spends the platform's shared capacity and decides where the
   * force's data lives, a national decision; a force's own administrator acts inside an onboarded force). Appends
   * `force-onboarded` to `force-onboarding-<force>`; projectors react by starting the force. Idempotent: the same
   * request again answers 200 with the onboarding as it stands; another isolation is a 409.
   */
  @Post('forces/:forceCode/onboarding')
  @Allow('national-team')
  @ApiParam({ name: 'forceCode', description: 'The force to onboard (forces.csv code)' })
  @ApiOkResponse({ type: ForceOnboardingView })
  async onboard(
    @Param('forceCode') forceCode: string,
    @Body() body: OnboardForceDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ForceOnboardingView> {
    if (!isForceCode(forceCode)) throw problem(404, 'not-found', 'Not found');
    const placement = this.projectors.defaultPlacement(forceCode, body.isolation ?? this.config.projectionIsolation);
    const decision = await this.runner.run(
      forceOnboardingStream(forceCode),
      forceOnboardingDecider,
      { kind: 'onboard-force', force: forceCode, ...placement, at: receivedAt(context), by: context.identity.officerId },
      context,
    );
    response.status(decision.appended > 0 ? 201 : 200);
    return { ...decision.state.onboarded! };
  }

  /** The forces this projector runs, and where their read models live. */
  @Get('forces')
  @Allow('national-team')
  forces(): { force: string; placement: ForcePlacement }[] {
    return this.projectors.forces();
  }

  /** Every force's read models' lag, and the national read models' (`force: "national"`, behind the whole log). */
  @Get('projections/lag')
  @Allow('national-team')
  async lag(): Promise<{ force: string; readModels: ReadModelLag[]; deadLetters: number }[]> {
    const out = [];
    for (const { force } of this.projectors.forces()) {
      const projector = this.projectors.projectorOf(force);
      out.push({ force, readModels: await projector.lag(), deadLetters: (await projector.deadLetters()).length });
    }
    const national = this.projectors.national();
    out.push({ force: NATIONAL, readModels: await national.lag(), deadLetters: await national.deadLetters.count() });
    return out;
  }
}

const label = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/**
 * The Prometheus text of projection lag, collected every NOM_METRICS_REFRESH_MS and served from memory: a scrape
 * costs no query (issue 12, item 8). Only force codes, read model names and counts, never a case or a person.
 */
@Injectable()
export class ProjectionMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private metrics?: ProjectionMetrics;

  constructor(
    private readonly projectors: ProjectorService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.metricsToken) this.metrics = new ProjectionMetrics(() => this.collect(), this.config.metricsRefreshMs);
  }

  onApplicationShutdown(): void {
    this.metrics?.stop();
  }

  scrape(): Promise<string> | undefined {
    return this.metrics?.scrape();
  }

  private async collect(): Promise<string> {
    const lines = [
      '# HELP nom_projection_events_behind Events of the force log a read model build has not taken in.',
      '# TYPE nom_projection_events_behind gauge',
    ];
    const seconds = ['# HELP nom_projection_seconds_behind Age of the oldest event a read model build has not taken in.', '# TYPE nom_projection_seconds_behind gauge'];
    const dead = ['# HELP nom_projection_dead_letters Unresolved dead letters of a force.', '# TYPE nom_projection_dead_letters gauge'];
    for (const { force } of this.projectors.forces()) {
      const projector = this.projectors.projectorOf(force);
      for (const l of await projector.lag()) {
        const labels = `force="${label(force)}",read_model="${label(l.readModel)}",version="${l.version}",status="${l.status}"`;
        lines.push(`nom_projection_events_behind{${labels}} ${l.eventsBehind}`);
        seconds.push(`nom_projection_seconds_behind{${labels}} ${l.secondsBehind}`);
      }
      dead.push(`nom_projection_dead_letters{force="${label(force)}"} ${(await projector.deadLetters()).length}`);
    }
    // The national read models (one tail of the whole log), labelled force="national".
    for (const l of await this.projectors.national().lag()) {
      const labels = `force="${NATIONAL}",read_model="${label(l.readModel)}",version="${l.version}",status="${l.status}"`;
      lines.push(`nom_projection_events_behind{${labels}} ${l.eventsBehind}`);
      seconds.push(`nom_projection_seconds_behind{${labels}} ${l.secondsBehind}`);
    }
    // Every reader of the log that records what it cannot take (relay, national projector, process managers,
    // national views, sealer, research exports): one table, counted by reader.
    const readers = [
      '# HELP nom_reader_dead_letters Events a reader of the log could not take and passed (dead letters), by reader.',
      '# TYPE nom_reader_dead_letters gauge',
    ];
    for (const [reader, count] of await this.projectors.readerDeadLetters()) {
      readers.push(`nom_reader_dead_letters{reader="${label(reader)}"} ${count}`);
    }
    return `${[...lines, ...seconds, ...dead, ...readers].join('\n')}\n`;
  }
}

/**
 * /metrics for the scraper only: not a user route (no JWT, no role), but the bearer token NOM_METRICS_TOKEN,
 * compared in constant time; without that setting /metrics is not served at all (404).
 */
@ApiTags('projections')
@Controller('metrics')
export class ProjectionMetricsController {
  constructor(
    private readonly metrics: ProjectionMetricsService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  async metricsText(@Req() request: Request): Promise<string> {
    const token = this.config.metricsToken;
    if (!token) throw problem(404, 'not-found', 'Not found');
    // Checked before anything is collected: a caller without the token costs nothing.
    if (!metricsTokenAccepts(request.headers.authorization, token)) throw problem(401, 'unauthenticated', 'The scraper token (NOM_METRICS_TOKEN) is required');
    const text = this.metrics.scrape();
    if (!text) throw problem(404, 'not-found', 'Not found');
    return text;
  }
}

@Module({
  imports: [CqrsModule],
  controllers: [CaseSummariesController, ProjectionsController, NationalProjectionsController, ProjectionMetricsController],
  providers: [ProjectorService, ProjectionMetricsService, ListCaseSummariesHandler, GetCaseSummaryHandler, DecisionRunner],
  exports: [ProjectorService],
})
export class ProjectorModule {}
