import { randomUUID } from 'node:crypto';
import { Body, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, CommandContext, receivedAt, type DecisionContext } from '#platform';
import { handleSuspectCommand, SuspectRoutes } from './suspect-routes.js';
import type { SuspectRequest } from './suspect.cqrs.js';
import { RecordCivilOrderBreachDto, RecordDisruptionDecisionDto, ReviewRepeatSuspectFlagDto } from './suspect-disruption.dto.js';
import { SuspectView } from './suspect.dto.js';

/**
 * From a repeat-suspect match to a disruption decision, and breaches of the orders granted (issue 13,
 * docs/disruption.md): a supervisor reviews the flagged suspect and records the decision; any officer records a breach.
 */
@SuspectRoutes()
export class SuspectDisruptionController {
  constructor(private readonly commands: CommandBus) {}

  private handle(command: SuspectRequest, context: DecisionContext, response: Response): Promise<SuspectView> {
    return handleSuspectCommand(this.commands, command, context, response);
  }

  @Post(':suspectId/repeat-suspect-flag/reviews')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The flagged suspect's review, recorded (flagReview in the response)." })
  reviewRepeatSuspectFlag(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: ReviewRepeatSuspectFlagDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    const reviewId = body.reviewId ?? randomUUID();
    return this.handle(
      { kind: 'review-repeat-suspect-flag', suspectId, reviewId, summary: body.summary, at: receivedAt(context) },
      context,
      response,
    );
  }

  @Post(':suspectId/repeat-suspect-flag/disruption-decision')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiOkResponse({ type: SuspectView, description: "The decision ending the flag's latest review." })
  recordDisruptionDecision(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Body() body: RecordDisruptionDecisionDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'record-disruption-decision',
        suspectId,
        tactics: body.tactics,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }

  @Post(':suspectId/civil-orders/:orderId/breaches')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: SuspectView, description: 'A breach of the order in force, recorded with the response.' })
  recordCivilOrderBreach(
    @Param('suspectId', new ParseUUIDPipe()) suspectId: string,
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: RecordCivilOrderBreachDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SuspectView> {
    return this.handle(
      {
        kind: 'record-civil-order-breach',
        suspectId,
        orderId,
        breachId: body.breachId ?? randomUUID(),
        breachedAt: body.breachedAt,
        response: body.response,
        ...(body.detail !== undefined ? { detail: body.detail } : {}),
        at: receivedAt(context),
      },
      context,
      response,
    );
  }
}
