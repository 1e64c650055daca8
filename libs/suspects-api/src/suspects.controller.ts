import { randomUUID } from 'node:crypto';
import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, receivedAt, type DecisionContext, type Identity } from '#platform';
import { handleSuspectCommand, SuspectRoutes } from './suspect-routes.js';
import { GetSuspectQuery, type SuspectRequest } from './suspect.cqrs.js';
import {
  ArrangeVoluntaryInterviewDto,
  ArrestSuspectDto,
  IdentifySuspectDto,
  RecordHistoryChecksDto,
  RecordInterviewDto,
  SuspectView,
} from './suspect.dto.js';

/**
 * Suspects, one stream per suspect in a case: identification, history checks, arrest and interviews, and the
 * suspect's view. Identification is `POST /forces/:force/suspects` with the case id in the body, because
 * `POST /forces/:force/cases/:caseId/suspects` is the cases context's own command (linking a suspect to the case).
 * Roles: officer and supervisor. The custody decisions are SuspectCustodyController's, safeguarding and disruption
 * SuspectSafeguardingController's (the same path).
 */
@SuspectRoutes()
export class SuspectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    return handleSuspectCommand(this.commands, command, context, response);
  }

  @Post()
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: SuspectView, description: 'Suspect identified on the case; Location names the suspect.' })
  async identifySuspect(
    @Body() body: IdentifySuspectDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const view = await this.handle(
      {
        kind: 'identify-suspect',
        caseId: body.caseId,
        suspectId: body.suspectId ?? randomUUID(),
        name: body.name,
        ...(body.dateOfBirth !== undefined ? { dateOfBirth: body.dateOfBirth } : {}),
        ...(body.pncId !== undefined ? { pncId: body.pncId } : {}),
        ...(body.croNumber !== undefined ? { croNumber: body.croNumber } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
    response.setHeader('Location', `/forces/${context.identity.force}/suspects/${view.suspectId}`);
    return view;
  }

  @Post(':suspectId/history-checks')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  recordHistoryChecks(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordHistoryChecksDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'record-history-checks', suspectId, systems: body.systems, resultSummary: body.resultSummary, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/arrest')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  arrest(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ArrestSuspectDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'arrest-suspect', suspectId, custodyClockStartedAt: body.custodyClockStartedAt, at: body.arrestedAt },
      context,
      response,
    );
  }

  @Put(':suspectId/voluntary-interview')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'Arranged, or rescheduled; the same time again changes nothing.' })
  arrangeVoluntaryInterview(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ArrangeVoluntaryInterviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'arrange-voluntary-interview', suspectId, scheduledFor: body.scheduledFor, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/interviews')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  recordInterview(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordInterviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'record-interview', suspectId, setting: body.setting, response: body.response, at: body.interviewedAt },
      context,
      response,
    );
  }

  @Get(':suspectId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  async getSuspect(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @CurrentIdentity() identity: Identity,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const view = await this.queries.execute(new GetSuspectQuery(suspectId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
