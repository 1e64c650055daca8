import { Controller, Get, HttpCode, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore } from '#event-store';
import { Public } from './auth.guard.js';
import { EVENT_STORE, HEALTH_INDICATOR } from './tokens.js';

/** A part of an app whose failure makes the whole app unhealthy (e.g. a sealer that refused to extend a chain). */
export interface HealthIndicator {
  readonly healthName: string;
  /** undefined: healthy; otherwise what is wrong (no personal data: it is served without a token). */
  healthProblem(): string | undefined;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(HEALTH_INDICATOR) private readonly indicator?: HealthIndicator,
  ) {}

  /** Liveness and readiness: 200 when the event store answers (and the app's indicator, if any, is fine), 503 otherwise. */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up and its event store answers.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: string; checks: Record<string, string> }> {
    const problem = this.indicator?.healthProblem();
    const indicator = this.indicator ? { [this.indicator.healthName]: problem ?? 'up' } : {};
    try {
      await this.store.streamRevision('health-check');
    } catch {
      response.status(503);
      return { status: 'unavailable', checks: { eventStore: 'down', ...indicator } };
    }
    if (problem !== undefined) {
      response.status(503);
      return { status: 'unavailable', checks: { eventStore: 'up', ...indicator } };
    }
    return { status: 'ok', checks: { eventStore: 'up', ...indicator } };
  }
}
