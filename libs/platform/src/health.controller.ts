import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore } from '#event-store';
import { Public } from './auth.guard.js';
import { EVENT_STORE } from './tokens.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Liveness and readiness: 200 when the event store answers, 503 when it does not. */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The process is up and its event store answers.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<{ status: string; checks: Record<string, string> }> {
    try {
      await this.store.streamRevision('health-check');
      return { status: 'ok', checks: { eventStore: 'up' } };
    } catch {
      response.status(503);
      return { status: 'unavailable', checks: { eventStore: 'down' } };
    }
  }
}
