import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { DiscontinueProsecutionDto, ListTrialDto, RecordFirstHearingDto, RecordVerdictDto, StartTrialDto } from './court.dto.js';
import { handleSuspectCommand, SuspectRoutes } from './suspect-routes.js';
import type { SuspectRequest } from './suspect.cqrs.js';
import { SuspectView } from './suspect.dto.js';

/**
 * A charged suspect's case at court (docs/evidence-and-court.md): the first hearing, the trial listed and started, the
 * verdict on each count, and the CPS stopping the prosecution. Recorded by the force as the court and the CPS tell it
 * (officer or supervisor; the CPS's discontinuance, like the charge, by a supervisor). Nothing before the charge.
 */
@SuspectRoutes()
export class SuspectCourtController {
  constructor(private readonly commands: CommandBus) {}

  private handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    return handleSuspectCommand(this.commands, command, context, response);
  }

  @Post(':suspectId/court/first-hearing')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The charged suspect's first hearing." })
  recordFirstHearing(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordFirstHearingDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const { court, courtKind, sentToCrownCourt } = body;
    return this.handle(
      { kind: 'record-first-hearing', suspectId, court, courtKind, sentToCrownCourt, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/court/trial-listing')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'A trial (or a retrial) listed, or re-listed before it starts.' })
  listTrial(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ListTrialDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'list-trial', suspectId, court: body.court, trialDate: body.trialDate, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/court/trial-start')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The listed trial started.' })
  startTrial(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: StartTrialDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle({ kind: 'start-trial', suspectId, court: body.court, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/court/verdict')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "Each count's result; the victim is owed an update (Victims' Code right 6)." })
  recordVerdict(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordVerdictDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const results = body.results.map(({ count, offence, verdict }) => ({ count, offence, verdict }));
    return this.handle({ kind: 'record-verdict', suspectId, results, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/court/discontinuance')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The CPS stopped the prosecution; the victim is owed an update.' })
  discontinueProsecution(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: DiscontinueProsecutionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'discontinue-prosecution', suspectId, method: body.method, grounds: body.grounds, at: receivedAt(context) },
      context,
      response,
    );
  }
}
