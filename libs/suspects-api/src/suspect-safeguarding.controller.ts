import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { handleSuspectCommand, SuspectRoutes } from './suspect-routes.js';
import type { SuspectRequest } from './suspect.cqrs.js';
import {
  ApplyForCivilOrderDto,
  ClearRepeatSuspectFlagDto,
  RaiseRepeatSuspectFlagDto,
  RecordCivilOrderGrantedDto,
  RecordCivilOrderRefusedDto,
  RecordDisruptionTacticDto,
  ReviewRepeatSuspectCheckDto,
  SuspectView,
} from './suspect.dto.js';

/**
 * Safeguarding and disruption around a suspect: the repeat-suspect flag and its reviews, disruption tactics and
 * civil orders. Supervisor alone for clearing a flag, the review that lets the national index disclose matches
 * (ADR 0015) and applying for a civil order.
 */
@SuspectRoutes()
export class SuspectSafeguardingController {
  constructor(private readonly commands: CommandBus) {}

  private handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    return handleSuspectCommand(this.commands, command, context, response);
  }

  @Post(':suspectId/repeat-suspect-flag')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  raiseRepeatSuspectFlag(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RaiseRepeatSuspectFlagDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      { kind: 'raise-repeat-suspect-flag', suspectId, reason: body.reason, linkedCaseIds: body.linkedCaseIds, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/repeat-suspect-flag/clearance')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  clearRepeatSuspectFlag(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ClearRepeatSuspectFlagDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle({ kind: 'clear-repeat-suspect-flag', suspectId, reason: body.reason, at: receivedAt(context) }, context, response);
  }

  /** A supervisor's recorded review: the national index may then disclose this suspect's repeat-suspect matches (ADR 0015). */
  @Post(':suspectId/repeat-suspect-check-reviews')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView })
  reviewRepeatSuspectCheck(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ReviewRepeatSuspectCheckDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle({ kind: 'review-repeat-suspect-check', suspectId, reason: body.reason, at: receivedAt(context) }, context, response);
  }

  @Post(':suspectId/disruption-tactics')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView })
  recordDisruptionTactic(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordDisruptionTacticDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'record-disruption-tactic',
        suspectId,
        tactic: body.tactic,
        ...(body.detail !== undefined ? { detail: body.detail } : {}),
        ...(body.authorisedBy ? { authorisedBy: { officerId: context.identity.officerId, rank: body.authorisedBy.rank } } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'The application is pending in civilOrders (with its orderId).' })
  applyForCivilOrder(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ApplyForCivilOrderDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'apply-for-civil-order',
        suspectId,
        orderId: body.orderId ?? randomUUID(),
        order: body.order,
        court: body.court,
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders/:orderId/grant')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The court's grant of the order, recorded." })
  recordCivilOrderGranted(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: RecordCivilOrderGrantedDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'record-civil-order-granted',
        suspectId,
        orderId,
        ...(body.expiresOn !== undefined ? { expiresOn: body.expiresOn } : {}),
        at: body.grantedAt,
      },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders/:orderId/refusal')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The court's refusal of the order, recorded." })
  recordCivilOrderRefused(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: RecordCivilOrderRefusedDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle({ kind: 'record-civil-order-refused', suspectId, orderId, at: body.refusedAt }, context, response);
  }
}
