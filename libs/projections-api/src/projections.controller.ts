import { Controller, Get, HttpCode, Inject, Logger, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ForceCode } from '#contracts';
import { Allow, BACKBONE_CONFIG, problem, type BackboneConfig } from '#platform';
import {
  DeadLetterNotFoundError,
  RebuildRunningError,
  UnknownReadModelError,
  type DeadLetter,
  type ReadModelLag,
  type RetryOutcome,
} from '#projections';
import { ProjectorService } from './projector.service.js';

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
      if (!outcome.resolved)
        throw problem(409, 'state/dead-letter-still-failing', 'The dead letter still fails', { detail: outcome.reason ?? '' });
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
      .then((r) =>
        logger.log(
          `rebuilt ${force}/${readModel} as build ${r.version} (${r.historyEvents} events from the store, ${r.tailEvents} at the hand-over)`,
        ),
      )
      .catch((error: unknown) => {
        if (error instanceof RebuildRunningError || error instanceof UnknownReadModelError) return;
        logger.error(`rebuild of ${force}/${readModel} failed: ${(error as Error).message}`);
      });
    return { readModel, status: 'building' };
  }
}
