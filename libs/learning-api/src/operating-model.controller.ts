import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, forceOf, receivedAt, ROLES, type DecisionContext, type Identity } from '#platform';
import { modelActorOf } from './model-actor.js';
import { AdoptModelVersionCommand, GetForceModelQuery, GetNationalModelQuery, HandleNationalModelCommand } from './operating-model.cqrs.js';
import {
  AdoptModelVersionDto,
  ForceModelView,
  NationalModelView,
  PublishModelVersionDto,
  SupersedeModelVersionDto,
} from './operating-model.dto.js';
import { versionPipe } from './path-params.js';

/** The operating model in one force: its administrator adopts published versions. */
@ApiTags('operating-model')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@Controller('forces/:force/operating-model')
export class ForceOperatingModelController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('adoptions')
  @Allow('administrator')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retried command safe: the first response is returned again.',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiCreatedResponse({ type: ForceModelView, description: 'The version is in force in this force from now on.' })
  async adopt(
    @Body() body: AdoptModelVersionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ForceModelView> {
    const force = forceOf(context.identity);
    const view = await this.commands.execute(
      new AdoptModelVersionCommand(
        { kind: 'adopt-model-version', actor: modelActorOf(context.identity), force, version: body.version, at: receivedAt(context) },
        context,
      ),
    );
    response.setHeader('ETag', `"${view.revision}"`);
    response.setHeader('Location', `/forces/${force}/operating-model`);
    return view;
  }

  /** Not sensitive: every role of the force may read which version is in force. */
  @Get()
  @Allow(...ROLES)
  @ApiOkResponse({ type: ForceModelView })
  async get(@CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response): Promise<ForceModelView> {
    const view = await this.queries.execute(new GetForceModelQuery(identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}

/**
 * The national model, on the national stream (metadata.force `national`, published on the national topic).
 * Reading is open to every authenticated caller, of any force or national. Publishing and superseding are the
 * national team's: callers with `nom_force: 'national'` and the `national-team` role; everyone else gets 403.
 */
@ApiTags('operating-model')
@ApiBearerAuth()
@Controller('national/operating-model')
export class NationalOperatingModelController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('versions')
  @Allow('national-team')
  @ApiForbiddenResponse({ description: 'Needs role national-team.' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiCreatedResponse({ type: NationalModelView })
  async publish(
    @Body() body: PublishModelVersionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NationalModelView> {
    const { victimUpdateDeadline: v, preChargeBail: b } = body.rules;
    const view = await this.commands.execute(
      new HandleNationalModelCommand(
        {
          kind: 'publish-model-version',
          actor: modelActorOf(context.identity),
          version: body.version,
          catalogueVersion: body.catalogueVersion,
          rules: {
            victimUpdateDeadline: { standardWorkingDays: v.standardWorkingDays, enhancedWorkingDays: v.enhancedWorkingDays },
            preChargeBail: {
              initialPeriodMonths: b.initialPeriodMonths,
              inspectorLimitMonths: b.inspectorLimitMonths,
              superintendentLimitMonths: b.superintendentLimitMonths,
            },
          },
          at: receivedAt(context),
        },
        context,
      ),
    );
    response.setHeader('ETag', `"${view.revision}"`);
    response.setHeader('Location', '/national/operating-model');
    return view;
  }

  @Post('versions/:version/supersede')
  @HttpCode(200)
  @Allow('national-team')
  @ApiForbiddenResponse({ description: 'Needs role national-team.' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: NationalModelView })
  async supersede(
    @Param('version', versionPipe) version: string,
    @Body() body: SupersedeModelVersionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NationalModelView> {
    const view = await this.commands.execute(
      new HandleNationalModelCommand(
        {
          kind: 'supersede-model-version',
          actor: modelActorOf(context.identity),
          version,
          supersededBy: body.supersededBy,
          at: receivedAt(context),
        },
        context,
      ),
    );
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get()
  @Allow(...ROLES)
  @ApiOkResponse({ type: NationalModelView })
  async get(@Res({ passthrough: true }) response: Response): Promise<NationalModelView> {
    const view = await this.queries.execute(new GetNationalModelQuery());
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
