import { Body, HttpCode, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { CaseCommandsController, CaseId, ExtractionId, UuidParam } from './case-routes.js';
import { runCaseCommand } from './case.cqrs.js';
import { CaseView } from './case.dto.js';
import { RecordProblemProfileDto, ThirdPartyOutcomeDto } from './digital.dto.js';

const RequestId = () => UuidParam('requestId');

/**
 * Digital material beyond the first release (issue 13; docs/digital-material.md): a device user's withdrawal of
 * agreement, the holder's answer to a third-party request, and the case's problem-profile facts (personal data,
 * only ever read aggregated: GET /forces/{force}/problem-profile).
 */
@CaseCommandsController('forces/:force/cases/:caseId')
export class CaseDigitalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('device-extractions/:extractionId/agreement-withdrawal')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'Agreement withdrawn before completion: the extraction stops; the device goes back.' })
  withdrawAgreement(
    @CaseId() caseId: string,
    @ExtractionId() extractionId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'withdraw-extraction-agreement', caseId, extractionId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('third-party-requests/:requestId/outcome')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: "The holder's answer: disclosed, refused or none held; once per request." })
  recordThirdPartyOutcome(
    @CaseId() caseId: string,
    @RequestId() requestId: string,
    @Body() body: ThirdPartyOutcomeDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'record-third-party-outcome', caseId, requestId, outcome: body.outcome, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Put('problem-profile')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'Recorded or corrected (the latest stands); personal data, never shown case by case.' })
  recordProblemProfile(
    @CaseId() caseId: string,
    @Body() body: RecordProblemProfileDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { offenceDate, relationshipToSuspect, domesticAbuse, victimAgeBand, suspectAgeBand } = body;
    return runCaseCommand(
      this.commands,
      {
        kind: 'record-problem-profile',
        caseId,
        offenceDate,
        relationshipToSuspect,
        domesticAbuse,
        victimAgeBand,
        suspectAgeBand,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }
}
