import { Controller, Get, HttpCode, Inject, Optional, Res, ServiceUnavailableException, type FactoryProvider } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore, LoopRegistry, LoopState } from '#event-store';
import { Public } from './auth.guard.js';
import { BROKER_READINESS, EVENT_STORE, HEALTH_INDICATOR, LOOPS, type BrokerReadiness } from './tokens.js';

/** The body of `/health/ready` (terminus): each check's status; `loops.states` names each loop's state (ADR 0021). */
export interface Readiness {
  readonly status: 'ok' | 'error' | 'shutting_down';
  readonly details: Readonly<Record<string, { readonly status: 'up' | 'down' } & Readonly<Record<string, unknown>>>> & {
    readonly loops?: { readonly status: 'up' | 'down'; readonly states: Readonly<Record<string, Omit<LoopState, 'name'>>> };
  };
}

/** A part of an app whose failure makes the whole app unhealthy (e.g. a sealer that refused to extend a chain). */
export interface HealthIndicator {
  readonly healthName: string;
  /** undefined: healthy; otherwise what is wrong (no personal data: it is served without a token). */
  healthProblem(): string | undefined;
}

/** How long a dependency may take to answer a readiness probe before it counts as down. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * Liveness and readiness (issue 15, item 4; ADR 0037), with @nestjs/terminus:
 * * `/health/live`: the process serves HTTP (a restart would not heal its servers, so nothing else is checked);
 * * `/health/ready`: the event store answers, the app's own indicator is fine, every background loop is ready
 *   (a singleton on standby is: it waits for its leader lock, healthy), and for the relay and the projector the
 *   Kafka broker answers, even when there is nothing to publish or consume;
 * * `/health`: the event store and the app's indicator (as before; scripts and Compose health checks use it).
 * Every answer names each check; a 503 says which is down. No token needed, and no personal data in any answer.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
    @Optional() @Inject(HEALTH_INDICATOR) private readonly indicator?: HealthIndicator,
    @Optional() @Inject(BROKER_READINESS) private readonly broker?: BrokerReadiness,
  ) {}

  private eventStore(): PromiseLike<HealthIndicatorResult> {
    return this.indicators
      .check('eventStore')
      .attempt(async () => {
        await this.store.streamRevision('health-check');
      })
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  private own(): HealthIndicatorResult[] {
    if (!this.indicator) return [];
    const problem = this.indicator.healthProblem();
    const check = this.indicators.check(this.indicator.healthName);
    return [problem === undefined ? check.up() : check.down({ message: problem })];
  }

  /** Each loop's state, readiness, failed attempts in a row and last error (ADR 0021); standby for a waiting singleton. */
  private loopStates(): HealthIndicatorResult {
    const states = Object.fromEntries(this.loops.snapshot().map(({ name, ...state }) => [name, state]));
    const check = this.indicators.check('loops');
    return this.loops.ready() ? check.up({ states }) : check.down({ states });
  }

  private kafka(): PromiseLike<HealthIndicatorResult>[] {
    const broker = this.broker;
    if (!broker) return [];
    return [
      this.indicators
        .check('kafka')
        .attempt(({ signal }) => broker.ping(signal))
        .withTimeout(PROBE_TIMEOUT_MS),
    ];
  }

  /** Terminus's answer as it is, 503 included (not turned into a problem document: probes and operators read it). */
  private async answer(response: Response, indicators: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.checks.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** 200 when the event store answers (commands can be taken) and the app's indicator, if any, is fine; 503 otherwise. */
  @Get()
  @Public()
  @HealthCheck()
  health(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, [() => this.eventStore(), ...this.own().map((r) => () => r)]);
  }

  /** Liveness: 200 while the process serves HTTP, whatever its servers' state. */
  @Get('live')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up.' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.checks.check([]);
  }

  /** Readiness: event store, the app's indicator, every loop, and Kafka for the processes that need it. */
  @Get('ready')
  @Public()
  @HealthCheck()
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, [
      () => this.eventStore(),
      ...this.own().map((r) => () => r),
      () => this.loopStates(),
      ...this.kafka().map((p) => () => p),
    ]);
  }
}

/** The provider of BROKER_READINESS for a module whose loops need the broker of `busToken` (relay, projector). */
export function brokerReadiness(busToken: symbol): FactoryProvider<BrokerReadiness> {
  return {
    provide: BROKER_READINESS,
    inject: [busToken],
    useFactory: (bus: { ping?(): Promise<void> }): BrokerReadiness => ({ ping: () => bus.ping?.() ?? Promise.resolve() }),
  };
}
