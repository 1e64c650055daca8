import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore, LoopRegistry, LoopState } from '#event-store';
import { Public } from './auth.guard.js';
import { EVENT_STORE, HEALTH_INDICATOR, LOOPS } from './tokens.js';

/** A part of an app whose failure makes the whole app unhealthy (e.g. a sealer that refused to extend a chain). */
export interface HealthIndicator {
  readonly healthName: string;
  /** undefined: healthy; otherwise what is wrong (no personal data: it is served without a token). */
  healthProblem(): string | undefined;
}

export interface Readiness {
  readonly status: 'ready' | 'not-ready';
  readonly checks: Readonly<Record<string, string>> & { readonly eventStore: 'up' | 'down' };
  /** Each background loop of the process: state, readiness, failed attempts in a row, the last error. */
  readonly loops: Record<string, Omit<LoopState, 'name'>>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
    @Optional() @Inject(HEALTH_INDICATOR) private readonly indicator?: HealthIndicator,
  ) {}

  private async storeUp(): Promise<boolean> {
    try {
      await this.store.streamRevision('health-check');
      return true;
    } catch {
      return false;
    }
  }

  /** The app's own indicator (the sealer's anchor), if it has one: its name and `up` or what is wrong. */
  private indicated(): { readonly checks: Record<string, string>; readonly problem: string | undefined } {
    const problem = this.indicator?.healthProblem();
    return { checks: this.indicator ? { [this.indicator.healthName]: problem ?? 'up' } : {}, problem };
  }

  /** 200 when the event store answers (commands can be taken) and the app's indicator, if any, is fine; 503 otherwise. */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up and its event store answers.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: string; checks: Record<string, string> }> {
    const up = await this.storeUp();
    const { checks, problem } = this.indicated();
    if (up && problem === undefined) return { status: 'ok', checks: { eventStore: 'up', ...checks } };
    response.status(503);
    return { status: 'unavailable', checks: { eventStore: up ? 'up' : 'down', ...checks } };
  }

  /** Liveness: 200 while the process serves HTTP, whatever its servers' state (a restart would not heal them). */
  @Get('live')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when the event store answers, the app's indicator is fine and every background loop (relay,
   * projectors, process managers, national views, sealer) is running; 503 otherwise, naming each loop's state and
   * last error (ADR 0021).
   */
  @Get('ready')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The event store answers and every loop runs.' })
  @ApiServiceUnavailableResponse({ description: 'The event store does not answer, the app reports a problem, or a loop is starting, retrying or failing.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const up = await this.storeUp();
    const { checks, problem } = this.indicated();
    const loops = Object.fromEntries(this.loops.snapshot().map(({ name, ...state }) => [name, state]));
    const ready = up && problem === undefined && this.loops.ready();
    if (!ready) response.status(503);
    return { status: ready ? 'ready' : 'not-ready', checks: { eventStore: up ? 'up' : 'down', ...checks }, loops };
  }
}
