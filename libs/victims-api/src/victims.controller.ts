import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, receivedAt, Section62, type DecisionContext, type Identity } from '#platform';
import { GetVictimQuery, HandleVictimCommand, type VictimRequest } from './victim.cqrs.js';
import {
  AgreeContactPreferencesDto,
  CompleteNeedsAssessmentDto,
  DeclineVpsDto,
  GiveUpdateDto,
  MakeComplaintDto,
  MakeFirstContactDto,
  RecordEnhancedRightsDto,
  ReferToIsvaDto,
  ReferToSupportServiceDto,
  RequestSpecialMeasuresDto,
  SendLetterDto,
  TakeVpsDto,
  VictimView,
  WithdrawSupportDto,
} from './victim.dto.js';

/**
 * Victims' Code duties are measured against when things are recorded, so every victim command takes its time
 * from the server clock: an update cannot be back-dated into its deadline.
 */
/** Runs one victim command and sets the ETag (the stream revision); shared by both controllers. */
async function handle(commands: CommandBus, command: VictimRequest, context: DecisionContext, response: Response): Promise<VictimView> {
  const result = await commands.execute(new HandleVictimCommand(command, context));
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}

@ApiTags('victims')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the first response is returned again.' })
@Controller('forces/:force/cases/:caseId/victims')
@Section62({ purpose: 'victim-care' })
export class CaseVictimsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Allow('officer', 'supervisor')
  @Section62({ action: 'collect' })
  @ApiCreatedResponse({ type: VictimView, description: 'First contact made by the caller; Location names the victim.' })
  async makeFirstContact(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() body: MakeFirstContactDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const victimId = body.victimId ?? randomUUID();
    const view = await handle(
      this.commands,
      { kind: 'make-first-contact', caseId, victimId, offence: body.offence, officerId: context.identity.officerId, channel: body.channel, at: receivedAt(context) },
      context,
      response,
    );
    response.setHeader('Location', `/forces/${context.identity.force}/victims/${view.victimId}`);
    return view;
  }
}

/** Commands on one victim: all are the investigation's ordinary work with the victim (officer or supervisor). */
@ApiTags('victims')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the first response is returned again.' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last read; a stale one is a 409.' })
@Controller('forces/:force/victims')
@Section62({ purpose: 'victim-care' })
export class VictimsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post(':victimId/enhanced-rights')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Categories already held are a retry and change nothing.' })
  recordEnhancedRights(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: RecordEnhancedRightsDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'record-enhanced-rights', victimId, categories: body.categories, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/needs-assessments')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  completeNeedsAssessment(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: CompleteNeedsAssessmentDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(
      this.commands,
      { kind: 'complete-needs-assessment', victimId, needs: body.needs, ...(body.notes !== undefined ? { notes: body.notes } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/isva-referral')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  referToIsva(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: ReferToIsvaDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'refer-to-isva', victimId, isvaService: body.isvaService, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/support-referrals')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  referToSupportService(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: ReferToSupportServiceDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'refer-to-support-service', victimId, service: body.service, organisation: body.organisation, at: receivedAt(context) }, context, response);
  }

  @Put(':victimId/contact-preferences')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Replaces any earlier agreement.' })
  agreeContactPreferences(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: AgreeContactPreferencesDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    const { name, phone, email, address } = body.safeContact;
    const safeContact = {
      ...(name !== undefined ? { name } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(address !== undefined ? { address } : {}),
    };
    return handle(
      this.commands,
      { kind: 'agree-contact-preferences', victimId, channels: body.channels, times: body.times, leaveMessages: body.leaveMessages, safeContact, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/special-measures')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Measures already requested are a retry and change nothing.' })
  requestSpecialMeasures(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: RequestSpecialMeasuresDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'request-special-measures', victimId, measures: body.measures, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/personal-statement/offer')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The Victim Personal Statement was offered.' })
  offerVps(@Param('victimId', new ParseUUIDPipe()) victimId: string, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'offer-vps', victimId, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/personal-statement')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The Victim Personal Statement was taken (after an offer).' })
  takeVps(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: TakeVpsDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'take-vps', victimId, format: body.format, documentReference: body.documentReference, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/personal-statement/decline')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The victim declined the offered Victim Personal Statement.' })
  declineVps(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: DeclineVpsDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'decline-vps', victimId, ...(body.comment !== undefined ? { comment: body.comment } : {}), at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/updates')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Recorded; with a triggerEventId it discharges that update duty.' })
  giveUpdate(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: GiveUpdateDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(
      this.commands,
      {
        kind: 'give-update',
        victimId,
        about: body.about,
        channel: body.channel,
        ...(body.triggerEventId !== undefined ? { triggerEventId: body.triggerEventId } : {}),
        ...(body.summary !== undefined ? { summary: body.summary } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':victimId/letters')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  sendLetter(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: SendLetterDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'send-letter', victimId, letter: body.letter, channel: body.channel, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/withdrawal')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The victim withdrew support for the investigation.' })
  withdrawSupport(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: WithdrawSupportDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(
      this.commands,
      { kind: 'withdraw-support', victimId, reason: body.reason, stage: body.stage, ...(body.account !== undefined ? { account: body.account } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/re-engagement')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'A victim who had withdrawn support re-engaged.' })
  reEngage(@Param('victimId', new ParseUUIDPipe()) victimId: string, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 're-engage', victimId, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/complaints')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  makeComplaint(@Param('victimId', new ParseUUIDPipe()) victimId: string, @Body() body: MakeComplaintDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    return handle(this.commands, { kind: 'make-complaint', victimId, about: body.about, account: body.account, at: receivedAt(context) }, context, response);
  }

  @Get(':victimId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  async getVictim(@Param('victimId', new ParseUUIDPipe()) victimId: string, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response): Promise<VictimView> {
    const view = await this.queries.execute(new GetVictimQuery(victimId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
