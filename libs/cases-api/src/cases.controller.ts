import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CaseCommand } from '#cases-domain';
import { Allow, CommandContext, CurrentIdentity, type DecisionContext, type Identity } from '#platform';
import { GetCaseQuery, HandleCaseCommand } from './case.cqrs.js';
import { AssignInvestigatorDto, CaseView, RecordCrimeDto, RecordOutcomeDto } from './case.dto.js';

const now = (): string => new Date().toISOString();

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the first response is returned again.' })
@Controller('forces/:force/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async handle(command: CaseCommand, context: DecisionContext, response: Response): Promise<CaseView> {
    const result = await this.commands.execute(new HandleCaseCommand(command, context));
    response.setHeader('ETag', `"${result.revision}"`);
    return result;
  }

  @Post()
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: CaseView, description: 'Crime recorded; the case exists.' })
  async recordCrime(@Body() body: RecordCrimeDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    const caseId = body.caseId ?? randomUUID();
    const view = await this.handle(
      { kind: 'record-crime', caseId, crimeReference: body.crimeReference, offence: body.offence, reportedAt: body.reportedAt, at: now() },
      context,
      response,
    );
    response.setHeader('Location', `/forces/${context.identity.force}/cases/${view.caseId}`);
    return view;
  }

  @Post(':caseId/investigation')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  openInvestigation(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    return this.handle({ kind: 'open-investigation', caseId, at: now() }, context, response);
  }

  @Put(':caseId/investigator')
  @Allow('supervisor', 'officer')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  assignInvestigator(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: AssignInvestigatorDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    return this.handle({ kind: 'assign-investigator', caseId, officerId: body.officerId, at: now() }, context, response);
  }

  @Post(':caseId/outcome')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  recordOutcome(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: RecordOutcomeDto, @CommandContext() context: DecisionContext, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    return this.handle({ kind: 'record-outcome', caseId, outcomeCode: body.outcomeCode, at: now() }, context, response);
  }

  @Get(':caseId')
  @Allow('officer', 'supervisor')
  @ApiOkResponse({ type: CaseView })
  async getCase(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    const view = await this.queries.execute(new GetCaseQuery(caseId, identity));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
