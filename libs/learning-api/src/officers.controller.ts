import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccreditationProgramme } from '#contracts';
import type { OfficerDevelopmentCommand } from '#learning-domain';
import { Allow, CommandContext, CurrentIdentity, problem, receivedAt, Section62, type DecisionContext, type Identity } from '#platform';
import { GetOfficerQuery, HandleOfficerCommand } from './officer.cqrs.js';
import {
  EnrolOnAccreditationDto,
  HoldCaseReviewDto,
  HoldWellbeingCheckInDto,
  LapseAccreditationDto,
  OfficerDevelopmentView,
  RecordCaseloadDto,
  RecordLessonLearnedDto,
  RecordTrainingDto,
} from './officer.dto.js';
import { officerIdPipe, programmePipe } from './path-params.js';

/**
 * Officer development (pillar 4). Every command answers with the officer's development record and its ETag.
 * Who may act: supervisors run reviews, check-ins and lessons (the acting officer is always the caller);
 * accreditations are a supervisor's or the force's administrator's; training and caseload counts may also come
 * from the force's integration (its learning and case management systems).
 */
@ApiTags('learning')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiParam({ name: 'officerId', description: 'The officer whose development this is (collar/warrant reference).' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the first response is returned again.' })
@ApiHeader({ name: 'If-Match', required: false })
@Controller('forces/:force/officers/:officerId')
@Section62({ purpose: 'workforce-development' })
export class OfficersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async handle(command: OfficerDevelopmentCommand, context: DecisionContext, response: Response): Promise<OfficerDevelopmentView> {
    const result = await this.commands.execute(new HandleOfficerCommand(command, context));
    response.setHeader('ETag', `"${result.revision}"`);
    return result;
  }

  @Post('accreditations')
  @HttpCode(200)
  @Allow('supervisor', 'administrator')
  @ApiOkResponse({ type: OfficerDevelopmentView, description: 'Enrolled on the programme.' })
  enrol(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: EnrolOnAccreditationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      { kind: 'enrol-on-accreditation', officerId, programme: body.programme, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('accreditations/:programme/achievement')
  @HttpCode(200)
  @Allow('supervisor', 'administrator')
  @ApiOkResponse({ type: OfficerDevelopmentView, description: 'Accreditation achieved.' })
  achieve(
    @Param('officerId', officerIdPipe) officerId: string,
    @Param('programme', programmePipe) programme: AccreditationProgramme,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle({ kind: 'achieve-accreditation', officerId, programme, at: receivedAt(context) }, context, response);
  }

  @Post('accreditations/:programme/lapse')
  @HttpCode(200)
  @Allow('supervisor', 'administrator')
  @ApiOkResponse({ type: OfficerDevelopmentView, description: 'Accreditation lapsed.' })
  lapse(
    @Param('officerId', officerIdPipe) officerId: string,
    @Param('programme', programmePipe) programme: AccreditationProgramme,
    @Body() body: LapseAccreditationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      { kind: 'lapse-accreditation', officerId, programme, reason: body.reason, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('training')
  @HttpCode(200)
  @Allow('supervisor', 'administrator', 'force-integration')
  @ApiOkResponse({ type: OfficerDevelopmentView })
  recordTraining(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: RecordTrainingDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      { kind: 'record-training', officerId, courseCode: body.courseCode, hours: body.hours, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post('caseload')
  @HttpCode(200)
  @Allow('supervisor', 'force-integration')
  @ApiOkResponse({ type: OfficerDevelopmentView })
  recordCaseload(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: RecordCaseloadDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      { kind: 'record-caseload', officerId, asOf: body.asOf, openCases: body.openCases, threshold: body.threshold },
      context,
      response,
    );
  }

  /** Held by the calling supervisor. The response, like every view, holds no check-in (sensitive data). */
  @Post('wellbeing-check-ins')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: OfficerDevelopmentView, description: 'Check-in recorded; the view never shows check-ins.' })
  holdWellbeingCheckIn(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: HoldWellbeingCheckInDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      { kind: 'hold-wellbeing-check-in', officerId, heldBy: context.identity.officerId, heldOn: body.heldOn, outcome: body.outcome },
      context,
      response,
    );
  }

  /** The calling supervisor is the reviewer; the officer in the path is the officer in the case. */
  @Post('case-reviews')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: OfficerDevelopmentView })
  holdCaseReview(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: HoldCaseReviewDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      {
        kind: 'hold-case-review',
        officerId,
        caseId: body.caseId,
        reviewerId: context.identity.officerId,
        findings: body.findings,
        actionsRaised: body.actionsRaised,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post('lessons-learned')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: OfficerDevelopmentView })
  recordLessonLearned(
    @Param('officerId', officerIdPipe) officerId: string,
    @Body() body: RecordLessonLearnedDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    return this.handle(
      {
        kind: 'record-lesson-learned',
        officerId,
        lessonId: body.lessonId ?? randomUUID(),
        caseId: body.caseId,
        category: body.category,
        shareNationally: body.shareNationally,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  /** Supervisors and administrators of the force read any officer's record; an officer reads only their own. */
  @Get()
  @Allow('officer', 'supervisor', 'administrator')
  @ApiOkResponse({ type: OfficerDevelopmentView })
  async getOfficer(
    @Param('officerId', officerIdPipe) officerId: string,
    @CurrentIdentity() identity: Identity,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfficerDevelopmentView> {
    const readsAny = identity.roles.includes('supervisor') || identity.roles.includes('administrator');
    if (!readsAny && identity.officerId !== officerId) {
      throw problem(403, 'forbidden', 'Your roles do not allow this', { detail: 'an officer may read only their own development record' });
    }
    const view = await this.queries.execute(new GetOfficerQuery(officerId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
