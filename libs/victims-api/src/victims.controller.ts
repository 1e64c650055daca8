import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, receivedAt, type DecisionContext, type Identity } from '#platform';
import { handleVictimCommand, VictimRoutes } from './victim-routes.js';
import { GetVictimQuery } from './victim.cqrs.js';
import {
  AgreeContactPreferencesDto,
  CompleteNeedsAssessmentDto,
  RecordEnhancedRightsDto,
  ReferToIsvaDto,
  ReferToSupportServiceDto,
  RequestSpecialMeasuresDto,
  VictimView,
} from './victim.dto.js';

/**
 * A victim's care: enhanced rights, needs assessment, ISVA and support referrals, contact preferences, special
 * measures, and the victim's view. All are the investigation's ordinary work with the victim (officer or supervisor).
 */
@VictimRoutes('forces/:force/victims', { ifMatch: true })
export class VictimsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post(':victimId/enhanced-rights')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Categories already held are a retry and change nothing.' })
  recordEnhancedRights(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RecordEnhancedRightsDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'record-enhanced-rights', victimId, categories: body.categories, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/needs-assessments')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  completeNeedsAssessment(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: CompleteNeedsAssessmentDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      {
        kind: 'complete-needs-assessment',
        victimId,
        needs: body.needs,
        ...(body.notes !== undefined ? { notes: body.notes } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':victimId/isva-referral')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  referToIsva(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: ReferToIsvaDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'refer-to-isva', victimId, isvaService: body.isvaService, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/support-referrals')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  referToSupportService(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: ReferToSupportServiceDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'refer-to-support-service', victimId, service: body.service, organisation: body.organisation, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Put(':victimId/contact-preferences')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Replaces any earlier agreement.' })
  agreeContactPreferences(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: AgreeContactPreferencesDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const { name, phone, email, address } = body.safeContact;
    const safeContact = {
      ...(name !== undefined ? { name } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(address !== undefined ? { address } : {}),
    };
    return handleVictimCommand(
      this.commands,
      {
        kind: 'agree-contact-preferences',
        victimId,
        channels: body.channels,
        times: body.times,
        leaveMessages: body.leaveMessages,
        safeContact,
        ...(body.updateEveryDays === undefined ? {} : { updateEveryDays: body.updateEveryDays }),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':victimId/special-measures')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Measures already requested are a retry and change nothing.' })
  requestSpecialMeasures(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RequestSpecialMeasuresDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'request-special-measures', victimId, measures: body.measures, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Get(':victimId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  async getVictim(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @CurrentIdentity() identity: Identity,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const view = await this.queries.execute(new GetVictimQuery(victimId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
