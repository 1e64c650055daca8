import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { forceOnboardingStream, isForceCode, NATIONAL } from '#contracts';
import { forceOnboardingDecider } from '#learning-domain';
import {
  Allow,
  BACKBONE_CONFIG,
  CommandContext,
  DecisionRunner,
  problem,
  receivedAt,
  type BackboneConfig,
  type DecisionContext,
} from '#platform';
import type { ForcePlacement, ReadModelLag } from '#projections';
import { ForceOnboardingView, OnboardForceDto } from './onboarding.dto.js';
import { ProjectorService } from './projector.service.js';

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
