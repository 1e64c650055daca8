import { randomUUID } from 'node:crypto';
import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, receivedAt, Section62, type DecisionContext, type Identity } from '#platform';
import { CaseCommandsController, CaseId } from './case-routes.js';
import { GetCaseQuery, runCaseCommand } from './case.cqrs.js';
import {
  AssignOfficerDto,
  CancelRecordingDto,
  CaseView,
  LinkSuspectDto,
  ReceiveReportDto,
  RecordCrimeDto,
  RecordCrimeFromReportDto,
  SetInvestigationPlanDto,
} from './case.dto.js';

/** Reports, crime recording, the investigation team and plan, suspects; the case as it stands. */
@CaseCommandsController('forces/:force/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private created(view: CaseView, context: DecisionContext, response: Response): CaseView {
    response.setHeader('Location', `/forces/${context.identity.force}/cases/${view.caseId}`);
    return view;
  }

  @Post('reports')
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: CaseView, description: 'Report logged as an N100 incident; the case exists.' })
  async receiveReport(
    @Body() body: ReceiveReportDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const command = {
      kind: 'receive-report',
      caseId: body.caseId ?? randomUUID(),
      n100Reference: body.n100Reference,
      reportedAt: body.reportedAt,
      at: receivedAt(context),
    } as const;
    return this.created(await runCaseCommand(this.commands, command, context, response), context, response);
  }

  @Post()
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: CaseView, description: 'Crime recorded directly; the case exists.' })
  async recordCrime(
    @Body() body: RecordCrimeDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { caseId = randomUUID(), crimeReference, offence, offenceCode, reportedAt } = body;
    const command = {
      kind: 'record-crime',
      caseId,
      crimeReference,
      offence,
      ...(offenceCode ? { offenceCode } : {}),
      reportedAt,
      at: receivedAt(context),
    } as const;
    return this.created(await runCaseCommand(this.commands, command, context, response), context, response);
  }

  @Post(':caseId/crime')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'The N100 report on the case was recorded as a crime.' })
  recordCrimeFromReport(
    @CaseId() caseId: string,
    @Body() body: RecordCrimeFromReportDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { crimeReference, offence, offenceCode } = body;
    return runCaseCommand(
      this.commands,
      { kind: 'record-crime', caseId, crimeReference, offence, ...(offenceCode ? { offenceCode } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':caseId/cancellation')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  cancelRecording(
    @CaseId() caseId: string,
    @Body() body: CancelRecordingDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'cancel-recording', caseId, reason: body.reason, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':caseId/investigation')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  openInvestigation(
    @CaseId() caseId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(this.commands, { kind: 'open-investigation', caseId, at: receivedAt(context) }, context, response);
  }

  @Put(':caseId/investigator')
  @Allow('supervisor', 'officer')
  @ApiOkResponse({ type: CaseView })
  assignInvestigator(
    @CaseId() caseId: string,
    @Body() body: AssignOfficerDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'assign-investigator', caseId, officerId: body.officerId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Put(':caseId/supervisor')
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  assignSupervisor(
    @CaseId() caseId: string,
    @Body() body: AssignOfficerDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'assign-supervisor', caseId, officerId: body.officerId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Put(':caseId/plan')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  setInvestigationPlan(
    @CaseId() caseId: string,
    @Body() body: SetInvestigationPlanDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const linesOfEnquiry = body.linesOfEnquiry.map(({ lineId, category }) => ({ lineId, category }));
    return runCaseCommand(
      this.commands,
      { kind: 'set-investigation-plan', caseId, linesOfEnquiry, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':caseId/plan/lines/:lineId/completion')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  completeLineOfEnquiry(
    @CaseId() caseId: string,
    @Param('lineId', new ParseUUIDPipe()) lineId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(this.commands, { kind: 'complete-line-of-enquiry', caseId, lineId, at: receivedAt(context) }, context, response);
  }

  /** Also triggered by the suspects context's identification, through a process manager. */
  @Post(':caseId/suspects')
  @HttpCode(200)
  @Allow('officer', 'supervisor', 'force-integration')
  @Section62({ action: 'combine' })
  @ApiOkResponse({ type: CaseView })
  linkSuspect(
    @CaseId() caseId: string,
    @Body() body: LinkSuspectDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'link-suspect', caseId, suspectId: body.suspectId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Get(':caseId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  async getCase(
    @CaseId() caseId: string,
    @CurrentIdentity() identity: Identity,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const view = await this.queries.execute(new GetCaseQuery(caseId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
