import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { CaseCommandsController, CaseId } from './case-routes.js';
import { runCaseCommand } from './case.cqrs.js';
import {
  CaseView,
  DecideNotToInvestigateDto,
  DecideRightToReviewDto,
  RecordOutcomeDto,
  ReopenCaseDto,
  RequestRightToReviewDto,
} from './case.dto.js';

/**
 * Lifecycle step 7 and after: the outcome, Victims' Right to Review of a decision not to charge, reopening; and the
 * decision not to investigate a recorded crime at all.
 */
@CaseCommandsController('forces/:force/cases')
export class CaseOutcomeController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':caseId/outcome')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  recordOutcome(
    @CaseId() caseId: string,
    @Body() body: RecordOutcomeDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { outcomeCode, cpsAgreementReference } = body;
    const command = {
      kind: 'record-outcome',
      caseId,
      outcomeCode,
      ...(cpsAgreementReference ? { cpsAgreementReference } : {}),
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  /** A supervisor's decision not to investigate a recorded crime; the victim is then owed it with the reasons. */
  @Post(':caseId/decision-not-to-investigate')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  decideNotToInvestigate(
    @CaseId() caseId: string,
    @Body() body: DecideNotToInvestigateDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const command = {
      kind: 'decide-not-to-investigate',
      caseId,
      reason: body.reason,
      decidedBy: context.identity.officerId,
      explanation: body.explanation,
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  @Post(':caseId/reopening')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  reopenCase(
    @CaseId() caseId: string,
    @Body() body: ReopenCaseDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(this.commands, { kind: 'reopen-case', caseId, reason: body.reason, at: receivedAt(context) }, context, response);
  }

  /** Victims' Right to Review (Victims' Code right 7): recorded by the officer the victim asked. */
  @Post(':caseId/right-to-review')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  requestRightToReview(
    @CaseId() caseId: string,
    @Body() body: RequestRightToReviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const command = {
      kind: 'request-right-to-review',
      caseId,
      reviewId: body.reviewId ?? randomUUID(),
      victimId: body.victimId,
      scheme: body.scheme,
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  /** The review's decision, recorded by a supervisor (the reviewing officer is independent of the decision). */
  @Post(':caseId/right-to-review/:reviewId/decision')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: CaseView })
  decideRightToReview(
    @CaseId() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: DecideRightToReviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const command = { kind: 'decide-right-to-review', caseId, reviewId, result: body.result, at: receivedAt(context) } as const;
    return runCaseCommand(this.commands, command, context, response);
  }
}
