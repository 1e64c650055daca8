import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { CaseCommandsController, CaseId } from './case-routes.js';
import { runCaseCommand } from './case.cqrs.js';
import { CaseView } from './case.dto.js';
import {
  actionPlanOf,
  FinaliseChargingFileDto,
  GiveEarlyAdviceDto,
  RecordChargingDecisionDto,
  RecordSuspectChargingDecisionDto,
  RequestEarlyAdviceDto,
  SubmitChargingFileDto,
} from './cps.dto.js';

const UuidParam = (name: string): ParameterDecorator => Param(name, new ParseUUIDPipe());

/**
 * The CPS part of a case (docs/cps-rules.md): early advice and its action plan, charging files per suspect, the
 * CPS's decisions per suspect with the test applied, administrative finalisation. The force records what the CPS
 * decided (its officers and supervisors), as it records every other step of its investigation.
 */
@CaseCommandsController('forces/:force/cases/:caseId/cps')
export class CaseCpsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('early-advice')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'Early advice requested; the request id names it for the advice.' })
  requestEarlyAdvice(
    @CaseId() caseId: string,
    @Body() body: RequestEarlyAdviceDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const adviceRequestId = body.adviceRequestId ?? randomUUID();
    return runCaseCommand(
      this.commands,
      { kind: 'request-early-advice', caseId, adviceRequestId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('early-advice/:adviceRequestId/advice')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: "Records the CPS's early advice on the request, with its action plan." })
  giveEarlyAdvice(
    @CaseId() caseId: string,
    @UuidParam('adviceRequestId') adviceRequestId: string,
    @Body() body: GiveEarlyAdviceDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const command = {
      kind: 'give-early-advice',
      caseId,
      adviceRequestId,
      ...(body.cpsReference ? { cpsReference: body.cpsReference } : {}),
      actionPlan: actionPlanOf(body.actionPlan),
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  @Post('actions/:actionId/completion')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  completeAction(
    @CaseId() caseId: string,
    @UuidParam('actionId') actionId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(this.commands, { kind: 'complete-cps-action', caseId, actionId, at: receivedAt(context) }, context, response);
  }

  @Post('charging-file')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'A charging file for named suspects of the case (all of them when none is named).' })
  submitChargingFile(
    @CaseId() caseId: string,
    @Body() body: SubmitChargingFileDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { cpsReference, suspectIds } = body;
    return runCaseCommand(
      this.commands,
      { kind: 'submit-charging-file', caseId, cpsReference, ...(suspectIds ? { suspectIds } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('charging-decision')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: "Records the CPS's decision on a whole file, with its reference (case level)." })
  recordChargingDecision(
    @CaseId() caseId: string,
    @Body() body: RecordChargingDecisionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { cpsReference, decision } = body;
    return runCaseCommand(
      this.commands,
      { kind: 'record-charging-decision', caseId, cpsReference, decision, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('suspects/:suspectId/charging-decision')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: "Records the CPS's decision on one suspect, with the test applied." })
  recordSuspectChargingDecision(
    @CaseId() caseId: string,
    @UuidParam('suspectId') suspectId: string,
    @Body() body: RecordSuspectChargingDecisionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { cpsReference, test, decision, thresholdConditions, fullCodeReviewBy, actionPlan } = body;
    const command = {
      kind: 'record-suspect-charging-decision',
      caseId,
      suspectId,
      cpsReference,
      test,
      decision,
      ...(thresholdConditions ? { thresholdConditions } : {}),
      ...(fullCodeReviewBy ? { fullCodeReviewBy } : {}),
      ...(actionPlan ? { actionPlan: actionPlanOf(actionPlan) } : {}),
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  @Post('charging-file/finalisation')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'The CPS finalised the file administratively; it may be submitted again.' })
  finaliseChargingFile(
    @CaseId() caseId: string,
    @Body() body: FinaliseChargingFileDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'finalise-charging-file', caseId, cpsReference: body.cpsReference, reason: body.reason, at: receivedAt(context) },
      context,
      response,
    );
  }
}
