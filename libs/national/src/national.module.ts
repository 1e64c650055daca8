import {
  Controller,
  Get,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { assertIdentifier, type DeadLetterStore, type EventStore, type LoopRegistry } from '#event-store';
import type { AccessLog } from '#audit';
import {
  ACCESS_LOG,
  Allow,
  BACKBONE_CONFIG,
  EVENT_STORE,
  LOOPS,
  readEnvironment,
  runSingleton,
  type BackboneConfig,
  type RawEnvironment,
} from '#platform';
import { conformanceReport, type ConformanceReport } from './conformance.js';
import { matchingKeyFrom } from './identifier-keys.js';
import { NationalViews } from './national-views.js';

export interface NationalOptions {
  /** The national matching key (NOM_MATCHING_KEY, base64 of at least 32 bytes). */
  readonly matchingKey: Buffer;
  /** The national schema (NOM_NATIONAL_SCHEMA, default `nom_national`). */
  readonly schema: string;
  /** False: serve the views without running the reader (tests drive it with catchUp). Default true. */
  readonly run?: boolean;
  /** Match disclosures one officer's triggers may open per UTC day (NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY, default 20). */
  readonly disclosuresPerOfficerPerDay?: number;
}

/** The national service's own settings, from the environment (README configuration table). */
export function loadNationalOptions(raw?: RawEnvironment): NationalOptions {
  const env = readEnvironment(raw);
  return {
    matchingKey: matchingKeyFrom(env.NOM_MATCHING_KEY),
    schema: assertIdentifier(env.NOM_NATIONAL_SCHEMA),
    disclosuresPerOfficerPerDay: env.NOM_MATCH_DISCLOSURES_PER_OFFICER_PER_DAY,
  };
}

const NATIONAL_OPTIONS = Symbol('NationalOptions');

/**
 * Runs the national views' reader for the life of the process, under supervision (ADR 0021): a fault that heals
 * is waited for with backoff, readiness says so, and the reader resumes from its checkpoint.
 */
@Injectable()
export class NationalViewsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('national-views');
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  private opened?: NationalViews;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore & DeadLetterStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(NATIONAL_OPTIONS) private readonly options: NationalOptions,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}

  get views(): NationalViews {
    if (!this.opened) throw new Error('national views not open yet');
    return this.opened;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the national views');
    this.opened = await NationalViews.open(this.store, {
      databaseUrl: this.config.databaseUrl,
      schema: this.options.schema,
      matchingKey: this.options.matchingKey,
      accessLog: this.accessLog,
      ...(this.options.disclosuresPerOfficerPerDay !== undefined
        ? { disclosuresPerOfficerPerDay: this.options.disclosuresPerOfficerPerDay }
        : {}),
    });
    if (this.options.run === false) return;
    const views = this.opened;
    const deps = { signal: this.controller.signal, loops: this.loops, config: this.config, logger: this.logger };
    this.running = runSingleton('national-views', (loop) => views.run(loop.signal, loop.healthy), deps);
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
    await this.opened?.close();
  }

  conformance(): Promise<ConformanceReport> {
    return conformanceReport(this.views.db, this.views.schema, this.config.kpiSuppressionThreshold, this.views.position);
  }
}

const MEASURE: SchemaObject = {
  oneOf: [
    {
      type: 'object',
      required: ['met', 'total', 'share'],
      properties: { met: { type: 'integer' }, total: { type: 'integer' }, share: { type: 'number' } },
    },
    { type: 'object', required: ['suppressed'], properties: { suppressed: { type: 'boolean', enum: [true] } } },
  ],
};
const RULES: SchemaObject = {
  type: 'object',
  properties: {
    victimUpdatesOnTime: MEASURE,
    chargesAfterSuspectFocusedAction: MEASURE,
    victimsReferredToIsva: MEASURE,
    bailWithVictimViewsSought: MEASURE,
  },
};

/**
 * National views: no personal data, counts below NOM_KPI_SUPPRESSION_THRESHOLD suppressed. Read by the national
 * team and national auditors (of any force: the view names forces, never people or cases).
 */
@ApiTags('national')
@ApiBearerAuth()
@Controller('national')
export class NationalController {
  constructor(private readonly service: NationalViewsService) {}

  @Get('conformance')
  @Allow('national-team', 'national-auditor')
  @ApiForbiddenResponse({ description: 'Needs role national-team or national-auditor.' })
  @ApiOkResponse({
    description: "Per force: the model version adopted and stamped, and the shares of the model's rules met; nationally: the same shares.",
    schema: {
      type: 'object',
      properties: {
        suppressionThreshold: { type: 'integer' },
        position: { type: 'string', description: 'Global position of the last event counted.' },
        forces: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              force: { type: 'string' },
              modelVersion: {
                type: 'object',
                properties: {
                  adopted: {
                    type: 'object',
                    nullable: true,
                    properties: { version: { type: 'string' }, adoptedAt: { type: 'string', format: 'date-time' } },
                  },
                  stamped: {
                    type: 'array',
                    items: { type: 'object', properties: { version: { type: 'string' }, events: { type: 'integer' } } },
                  },
                },
              },
              rules: RULES,
            },
          },
        },
        national: RULES,
      },
    },
  })
  conformance(): Promise<ConformanceReport> {
    return this.service.conformance();
  }
}

/** The national service: the repeat-suspect index and the national views. Needs InfrastructureModule in the app. */
@Module({})
export class NationalModule {
  static forRoot(options: NationalOptions): DynamicModule {
    return {
      module: NationalModule,
      controllers: [NationalController],
      providers: [{ provide: NATIONAL_OPTIONS, useValue: options }, NationalViewsService],
      exports: [NationalViewsService],
    };
  }
}
