import { randomUUID } from 'node:crypto';
import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, Section62, type DecisionContext } from '#platform';
import { handleVictimCommand, VictimRoutes } from './victim-routes.js';
import { MakeFirstContactDto, VictimView } from './victim.dto.js';

/** First contact with a victim of a case: the victim's stream starts here (officer or supervisor). */
@VictimRoutes('forces/:force/cases/:caseId/victims', { ifMatch: false })
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
    const view = await handleVictimCommand(
      this.commands,
      {
        kind: 'make-first-contact',
        caseId,
        victimId,
        offence: body.offence,
        officerId: context.identity.officerId,
        channel: body.channel,
        ...(body.victimUnder18 === undefined ? {} : { victimUnder18: body.victimUnder18 }),
        at: receivedAt(context),
      },
      context,
      response,
    );
    response.setHeader('Location', `/forces/${context.identity.force}/victims/${view.victimId}`);
    return view;
  }
}
