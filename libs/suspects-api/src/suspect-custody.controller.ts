import { Body, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { handleSuspectCommand, SuspectRoutes } from './suspect-routes.js';
import type { SuspectRequest } from './suspect.cqrs.js';
import {
  CancelBailDto,
  ChangeBailConditionsDto,
  ChargeSuspectDto,
  ExtendBailDto,
  GrantPreChargeBailDto,
  RecordCourtBailExtensionDto,
  ReleaseNoFurtherActionDto,
  ReviewReleaseUnderInvestigationDto,
  SuspectView,
} from './suspect.dto.js';

/**
 * A suspect's custody decisions: pre-charge bail, its extensions and conditions, release under investigation, no
 * further action and charge. Supervisor alone for the custody officer's and outcome-like decisions (bail and its
 * conditions, extensions, no further action, charge); a court's extension and RUI may be recorded by an officer.
 */
@SuspectRoutes()
export class SuspectCustodyController {
  constructor(private readonly commands: CommandBus) {}

  private handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    return handleSuspectCommand(this.commands, command, context, response);
  }

  @Post(':suspectId/bail')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'Released on pre-charge bail, authorised by the caller (a sergeant or above).' })
  grantBail(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: GrantPreChargeBailDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
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
  extendBail(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ExtendBailDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'extend-bail',
        suspectId,
        authorisedBy: { officerId: context.identity.officerId, rank: body.authorisedBy.rank },
        endsOn: body.endsOn,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/bail/court-extensions')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "A magistrates' court's extension beyond 9 months, recorded." })
  recordCourtBailExtension(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordCourtBailExtensionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'record-court-bail-extension', suspectId, court: body.court, endsOn: body.endsOn, at: body.extendedAt },
      context,
      response,
    );
  }

  @Put(':suspectId/bail/conditions')
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The full new list of conditions; the same list again changes nothing.' })
  changeBailConditions(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ChangeBailConditionsDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
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
  releaseUnderInvestigation(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle({ kind: 'release-under-investigation', suspectId, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/bail/cancellation')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({
    type: SuspectView,
    description: 'Bail cancelled before its end by the caller (a sergeant or above): under investigation.',
  })
  cancelBail(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: CancelBailDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const authorisedBy = { officerId: context.identity.officerId, rank: body.authorisedBy.rank };
    return this.handle({ kind: 'cancel-bail', suspectId, authorisedBy, grounds: body.grounds, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/release-under-investigation/reviews')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'A release under investigation reviewed by the caller, with the next review date.' })
  reviewReleaseUnderInvestigation(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ReviewReleaseUnderInvestigationDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const reviewedBy = { officerId: context.identity.officerId, rank: body.reviewedBy.rank };
    const command = {
      kind: 'review-release-under-investigation',
      suspectId,
      reviewedBy,
      nextReviewBy: body.nextReviewBy,
      at: receivedAt(context),
    } as const;
    return this.handle(command, context, response);
  }

  @Post(':suspectId/no-further-action')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  releaseNoFurtherAction(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ReleaseNoFurtherActionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'release-no-further-action', suspectId, decidedBy: body.decidedBy, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/charge')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  charge(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ChargeSuspectDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'charge-suspect', suspectId, cpsDecisionReference: body.cpsDecisionReference, at: receivedAt(context) },
      context,
      response,
    );
  }
}
