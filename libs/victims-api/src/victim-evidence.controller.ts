import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import {
  ApplyForSpecialMeasuresDto,
  DeclineForensicExaminationDto,
  OrderPreRecordedCrossExaminationDto,
  PlanAbeInterviewDto,
  RecordAbeInterviewDto,
  RecordForensicExaminationDto,
  RecordPreRecordedCrossExaminationDto,
  RecordSpecialMeasuresDecisionDto,
  ReferForForensicExaminationDto,
} from './evidence.dto.js';
import { handleVictimCommand, VictimRoutes } from './victim-routes.js';
import type { VictimRequest } from './victim.cqrs.js';
import { VictimView } from './victim.dto.js';

/**
 * The victim's evidence (docs/evidence-and-court.md): the video-recorded (ABE) interview, the forensic medical
 * examination at a SARC, special measures applied for to the court and its decision, and the s28 pre-recorded
 * cross-examination. The investigation's work with the victim (officer or supervisor); the court's decisions are
 * recorded as the force learns them. Refusals are 409 naming the rule (docs/evidence-and-court.md lists them).
 */
@VictimRoutes('forces/:force/victims', { ifMatch: true })
export class VictimEvidenceController {
  constructor(private readonly commands: CommandBus) {}

  private handle(command: VictimRequest, context: DecisionContext, response: Response): Promise<VictimView> {
    return handleVictimCommand(this.commands, command, context, response);
  }

  @Post(':victimId/abe-interviews')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'A video-recorded interview planned (ABE 2022, phase 1).' })
  planAbeInterview(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: PlanAbeInterviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const { plannedFor, withIntermediary } = body;
    const interviewId = body.interviewId ?? randomUUID();
    return this.handle(
      { kind: 'plan-abe-interview', victimId, interviewId, plannedFor, withIntermediary, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/abe-interviews/conducted')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The planned interview conducted and recorded, now.' })
  recordAbeInterview(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RecordAbeInterviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const { interviewId, recordingReference } = body;
    return this.handle(
      { kind: 'record-abe-interview', victimId, interviewId, recordingReference, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/forensic-examinations')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Referred to a SARC for a forensic medical examination.' })
  referForForensicExamination(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: ReferForForensicExaminationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const examinationId = body.examinationId ?? randomUUID();
    const sarc = { name: body.sarc.name, serviceKind: body.sarc.serviceKind };
    return this.handle(
      { kind: 'refer-for-forensic-examination', victimId, examinationId, sarc, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/forensic-examinations/completed')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: "Examined now, with the victim's consent recorded before." })
  recordForensicExamination(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RecordForensicExaminationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const { examinationId, consentedTo, consentRecordedAt } = body;
    return this.handle(
      { kind: 'record-forensic-examination', victimId, examinationId, consentedTo, consentRecordedAt, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/forensic-examinations/declined')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The victim declined the examination they were referred for.' })
  declineForensicExamination(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: DeclineForensicExaminationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return this.handle(
      { kind: 'decline-forensic-examination', victimId, examinationId: body.examinationId, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/special-measures/applications')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'Applied to the court for a special measures direction (needs a charge known).' })
  applyForSpecialMeasures(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: ApplyForSpecialMeasuresDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const applicationId = body.applicationId ?? randomUUID();
    return this.handle(
      {
        kind: 'apply-for-special-measures',
        victimId,
        applicationId,
        measures: body.measures,
        ...(body.grounds !== undefined ? { grounds: body.grounds } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':victimId/special-measures/decisions')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: "The court's decision on each measure applied for." })
  recordSpecialMeasuresDecision(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RecordSpecialMeasuresDecisionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    const { applicationId, granted, refused } = body;
    return this.handle(
      { kind: 'record-special-measures-decision', victimId, applicationId, granted, refused, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/pre-recorded-cross-examination/order')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The s28 hearing listed (after the court directed s28).' })
  orderPreRecordedCrossExamination(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: OrderPreRecordedCrossExaminationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return this.handle(
      { kind: 'order-pre-recorded-cross-examination', victimId, hearingDate: body.hearingDate, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':victimId/pre-recorded-cross-examination/recording')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: VictimView, description: 'The cross-examination recorded at the s28 hearing.' })
  recordPreRecordedCrossExamination(
    @Param('victimId', new ParseUUIDPipe()) victimId: string,
    @Body() body: RecordPreRecordedCrossExaminationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VictimView> {
    return this.handle(
      { kind: 'record-pre-recorded-cross-examination', victimId, recordingReference: body.recordingReference, at: receivedAt(context) },
      context,
      response,
    );
  }
}
