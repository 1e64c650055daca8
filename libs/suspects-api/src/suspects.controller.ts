import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, CurrentIdentity, receivedAt, type DecisionContext, type Identity } from '#platform';
import { GetSuspectQuery, HandleSuspectCommand, type SuspectRequest } from './suspect.cqrs.js';
import {
  ApplyForCivilOrderDto,
  ArrangeVoluntaryInterviewDto,
  ArrestSuspectDto,
  ChangeBailConditionsDto,
  ChargeSuspectDto,
  ClearRepeatSuspectFlagDto,
  ExtendBailDto,
  GrantPreChargeBailDto,
  IdentifySuspectDto,
  RaiseRepeatSuspectFlagDto,
  RecordCivilOrderGrantedDto,
  RecordCivilOrderRefusedDto,
  RecordCourtBailExtensionDto,
  RecordDisruptionTacticDto,
  ReviewRepeatSuspectCheckDto,
  RecordHistoryChecksDto,
  RecordInterviewDto,
  ReleaseNoFurtherActionDto,
  SuspectView,
} from './suspect.dto.js';

/**
 * Suspects, one stream per suspect in a case. Identification is `POST /forces/:force/suspects` with the case id
 * in the body, because `POST /forces/:force/cases/:caseId/suspects` is the cases context's own command (linking
 * a suspect to the case). Roles: officer and supervisor for the investigation's ordinary steps; supervisor
 * alone for the custody officer's and outcome-like decisions (bail and its conditions, extensions, no further
 * action, charge, clearing a safeguarding flag, applying for a civil order).
 */
@ApiTags('suspects')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the first response is returned again.' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last read; a stale one is a 409.' })
@Controller('forces/:force/suspects')
export class SuspectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    const result = await this.commands.execute(new HandleSuspectCommand(command, context));
    response.setHeader('ETag', `"${result.revision}"`);
    return result;
  }

  @Post()
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: SuspectView, description: 'Suspect identified on the case; Location names the suspect.' })
  async identifySuspect(@Body() body: IdentifySuspectDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
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
  recordHistoryChecks(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: RecordHistoryChecksDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'record-history-checks', suspectId, systems: body.systems, resultSummary: body.resultSummary, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/arrest')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  arrest(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ArrestSuspectDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'arrest-suspect', suspectId, custodyClockStartedAt: body.custodyClockStartedAt, at: body.arrestedAt }, context, response);
  }

  @Put(':suspectId/voluntary-interview')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'Arranged, or rescheduled; the same time again changes nothing.' })
  arrangeVoluntaryInterview(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ArrangeVoluntaryInterviewDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'arrange-voluntary-interview', suspectId, scheduledFor: body.scheduledFor, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/interviews')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  recordInterview(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: RecordInterviewDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'record-interview', suspectId, setting: body.setting, response: body.response, at: body.interviewedAt }, context, response);
  }

  @Post(':suspectId/bail')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'Released on pre-charge bail, authorised by the caller (a sergeant or above).' })
  grantBail(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: GrantPreChargeBailDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'grant-pre-charge-bail',
        suspectId,
        authorisedBy: { officerId: context.identity.officerId, rank: body.authorisedBy.rank },
        ...(body.endsOn !== undefined ? { endsOn: body.endsOn } : {}),
        conditions: body.conditions,
        ...(body.victimViewsSoughtAt !== undefined ? { victimViewsSoughtAt: body.victimViewsSoughtAt } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/bail/extensions')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'Bail extended by the caller (to 6 months: inspector; to 9: superintendent).' })
  extendBail(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ExtendBailDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle(
      { kind: 'extend-bail', suspectId, authorisedBy: { officerId: context.identity.officerId, rank: body.authorisedBy.rank }, endsOn: body.endsOn, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/bail/court-extensions')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "A magistrates' court's extension beyond 9 months, recorded." })
  recordCourtBailExtension(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: RecordCourtBailExtensionDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'record-court-bail-extension', suspectId, court: body.court, endsOn: body.endsOn, at: body.extendedAt }, context, response);
  }

  @Put(':suspectId/bail/conditions')
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The full new list of conditions; the same list again changes nothing.' })
  changeBailConditions(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ChangeBailConditionsDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'change-bail-conditions',
        suspectId,
        conditions: body.conditions,
        ...(body.victimViewsSoughtAt !== undefined ? { victimViewsSoughtAt: body.victimViewsSoughtAt } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/release-under-investigation')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  releaseUnderInvestigation(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'release-under-investigation', suspectId, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/no-further-action')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  releaseNoFurtherAction(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ReleaseNoFurtherActionDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'release-no-further-action', suspectId, decidedBy: body.decidedBy, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/charge')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  charge(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ChargeSuspectDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'charge-suspect', suspectId, cpsDecisionReference: body.cpsDecisionReference, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/repeat-suspect-flag')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  raiseRepeatSuspectFlag(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: RaiseRepeatSuspectFlagDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'raise-repeat-suspect-flag', suspectId, reason: body.reason, linkedCaseIds: body.linkedCaseIds, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/repeat-suspect-flag/clearance')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  clearRepeatSuspectFlag(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ClearRepeatSuspectFlagDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'clear-repeat-suspect-flag', suspectId, reason: body.reason, at: receivedAt(context) }, context, response);
  }

  /** A supervisor's recorded review: the national index may then disclose this suspect's repeat-suspect matches (ADR 0015). */
  @Post(':suspectId/repeat-suspect-check-reviews')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  reviewRepeatSuspectCheck(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ReviewRepeatSuspectCheckDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'review-repeat-suspect-check', suspectId, reason: body.reason, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/disruption-tactics')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  recordDisruptionTactic(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: RecordDisruptionTacticDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle(
      { kind: 'record-disruption-tactic', suspectId, tactic: body.tactic, ...(body.detail !== undefined ? { detail: body.detail } : {}), at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The application is pending in civilOrders (with its orderId).' })
  applyForCivilOrder(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Body() body: ApplyForCivilOrderDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'apply-for-civil-order', suspectId, orderId: body.orderId ?? randomUUID(), order: body.order, court: body.court, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/civil-orders/:orderId/grant')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The court's grant of the order, recorded." })
  recordCivilOrderGranted(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Param('orderId', new ParseUUIDPipe()) orderId: string, @Body() body: RecordCivilOrderGrantedDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle(
      { kind: 'record-civil-order-granted', suspectId, orderId, ...(body.expiresOn !== undefined ? { expiresOn: body.expiresOn } : {}), at: body.grantedAt },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders/:orderId/refusal')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The court's refusal of the order, recorded." })
  recordCivilOrderRefused(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @Param('orderId', new ParseUUIDPipe()) orderId: string, @Body() body: RecordCivilOrderRefusedDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    return this.handle({ kind: 'record-civil-order-refused', suspectId, orderId, at: body.refusedAt }, context, response);
  }

  @Get(':suspectId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  async getSuspect(@Param('suspectId', new ParseUUIDPipe()) suspectId: string, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response): Promise<SuspectView> {
    const view = await this.queries.execute(new GetSuspectQuery(suspectId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
