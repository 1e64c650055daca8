import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { handleVictimCommand, VictimRoutes } from './victim-routes.js';
import { DeclineVpsDto, GiveUpdateDto, MakeComplaintDto, SendLetterDto, TakeVpsDto, VictimView, WithdrawSupportDto } from './victim.dto.js';

/**
 * What passes between the police and a victim: the personal statement, the Victims' Code updates and letters,
 * withdrawal and re-engagement, complaints (officer or supervisor). The same path as VictimsController.
 */
@VictimRoutes('forces/:force/victims', { ifMatch: true })
export class VictimCommunicationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':victimId/personal-statement/offer')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The Victim Personal Statement was offered.' })
  offerVps(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(this.commands, { kind: 'offer-vps', victimId, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/personal-statement')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The Victim Personal Statement was taken (after an offer).' })
  takeVps(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: TakeVpsDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'take-vps', victimId, format: body.format, documentReference: body.documentReference, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/personal-statement/decline')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The victim declined the offered Victim Personal Statement.' })
  declineVps(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: DeclineVpsDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'decline-vps', victimId, ...(body.comment !== undefined ? { comment: body.comment } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/updates')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Recorded; with a triggerEventId it discharges that update duty.' })
  giveUpdate(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: GiveUpdateDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
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
  sendLetter(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: SendLetterDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'send-letter', victimId, letter: body.letter, channel: body.channel, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/withdrawal')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The victim withdrew support for the investigation.' })
  withdrawSupport(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: WithdrawSupportDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      {
        kind: 'withdraw-support',
        victimId,
        reason: body.reason,
        stage: body.stage,
        ...(body.account !== undefined ? { account: body.account } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':victimId/re-engagement')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'A victim who had withdrawn support re-engaged.' })
  reEngage(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(this.commands, { kind: 're-engage', victimId, at: receivedAt(context) }, context, response);
  }

  @Post(':victimId/complaints')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView })
  makeComplaint(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: MakeComplaintDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return handleVictimCommand(
      this.commands,
      { kind: 'make-complaint', victimId, about: body.about, account: body.account, at: receivedAt(context) },
      context,
      response,
    );
  }
}
