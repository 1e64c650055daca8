import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore, LoopRegistry, LoopState } from '#event-store';
import { Public } from './auth.guard.js';
import { EVENT_STORE, LOOPS } from './tokens.js';

export interface Readiness {
  readonly status: 'ready' | 'not-ready';
  readonly checks: { readonly eventStore: 'up' | 'down' };
  /** Each background loop of the process: state, readiness, failed attempts in a row, the last error. */
  readonly loops: Record<string, Omit<LoopState, 'name'>>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
  ) {}

  private async storeUp(): Promise<boolean> {
    try {
      await this.store.streamRevision('health-check');
      return true;
    } catch {
      return false;
    }
  }

  /** 200 when the event store answers (commands can be taken), 503 when it does not. */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up and its event store answers.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: string; checks: Record<string, string> }> {
    if (await this.storeUp()) return { status: 'ok', checks: { eventStore: 'up' } };
    response.status(503);
    return { status: 'unavailable', checks: { eventStore: 'down' } };
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
   * Readiness: 200 when the event store answers and every background loop (relay, projectors, process managers,
   * national views, sealer) is running; 503 otherwise, naming each loop's state and last error (ADR 0021).
   */
  @Get('ready')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The event store answers and every loop runs.' })
  @ApiServiceUnavailableResponse({ description: 'The event store does not answer, or a loop is starting, retrying or failing.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const up = await this.storeUp();
    const loops = Object.fromEntries(this.loops.snapshot().map(({ name, ...state }) => [name, state]));
    const ready = up && this.loops.ready();
    if (!ready) response.status(503);
    return { status: ready ? 'ready' : 'not-ready', checks: { eventStore: up ? 'up' : 'down' }, loops };
  }
}
