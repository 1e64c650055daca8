import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { CaseCommandsController, CaseId, ExtractionId } from './case-routes.js';
import { runCaseCommand } from './case.cqrs.js';
import { CaseView } from './case.dto.js';
import { extractionNoticeOf, necessityOf } from './digital.dto.js';
import { ExtractionAgreementDto, RequestDeviceExtractionDto, RequestThirdPartyMaterialDto } from './evidence.dto.js';

/** Digital forensics and third-party material: the evidential side of a case (the CPS's part: case-cps.controller.ts). */
@CaseCommandsController('forces/:force/cases/:caseId')
export class CaseEvidenceController {
  constructor(private readonly commands: CommandBus) {}

  @Post('device-extractions')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView, description: 'Extraction requested; the written notice is recorded as personal data.' })
  requestDeviceExtraction(
    @CaseId() caseId: string,
    @Body() body: RequestDeviceExtractionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const { extractionId = randomUUID(), deviceOwner, scope, notice } = body;
    const command = {
      kind: 'request-device-extraction',
      caseId,
      extractionId,
      deviceOwner,
      scope: { from: scope.from, to: scope.to, dataCategories: scope.dataCategories },
      notice: extractionNoticeOf(notice),
      at: receivedAt(context),
    } as const;
    return runCaseCommand(this.commands, command, context, response);
  }

  @Post('device-extractions/:extractionId/agreement')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  recordAgreement(
    @CaseId() caseId: string,
    @ExtractionId() extractionId: string,
    @Body() body: ExtractionAgreementDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'record-extraction-agreement', caseId, extractionId, agreed: body.agreed, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('device-extractions/:extractionId/completion')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  completeExtraction(
    @CaseId() caseId: string,
    @ExtractionId() extractionId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(
      this.commands,
      { kind: 'complete-device-extraction', caseId, extractionId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('device-extractions/:extractionId/return')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  returnDevice(
    @CaseId() caseId: string,
    @ExtractionId() extractionId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    return runCaseCommand(this.commands, { kind: 'return-device', caseId, extractionId, at: receivedAt(context) }, context, response);
  }

  @Post('third-party-requests')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  requestThirdPartyMaterial(
    @CaseId() caseId: string,
    @Body() body: RequestThirdPartyMaterialDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseView> {
    const requestId = body.requestId ?? randomUUID();
    return runCaseCommand(
      this.commands,
      {
        kind: 'request-third-party-material',
        caseId,
        requestId,
        holder: body.holder,
        necessity: necessityOf(body.necessity),
        victimToldAt: body.victimToldAt,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }
}
