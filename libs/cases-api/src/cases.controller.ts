import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CaseCommand } from '#cases-domain';
import { Allow, CurrentIdentity, problem, type DecisionContext, type Identity } from '#platform';
import { GetCaseQuery, HandleCaseCommand } from './case.cqrs.js';
import { AssignInvestigatorDto, CaseView, RecordCrimeDto, RecordOutcomeDto } from './case.dto.js';

function ifMatch(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,19})"?$/.exec(header.trim());
  if (!match) throw problem(400, 'invalid-request', 'The request is invalid', { errors: [{ field: 'If-Match', reason: 'must be an ETag this API returned' }] });
  return BigInt(match[1]!);
}

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@Controller('forces/:force/cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async handle(command: CaseCommand, identity: Identity, response: Response, matchHeader?: string): Promise<CaseView> {
    const context: DecisionContext = { identity, correlationId: randomUUID(), ...(matchHeader !== undefined ? { ifMatch: ifMatch(matchHeader) } : {}) };
    const result = await this.commands.execute(new HandleCaseCommand(command, context));
    response.setHeader('ETag', `"${result.revision}"`);
    return result;
  }

  @Post()
  @Allow('officer', 'supervisor')
  @ApiCreatedResponse({ type: CaseView, description: 'Crime recorded; the case exists.' })
  async recordCrime(@Body() body: RecordCrimeDto, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    const command: CaseCommand = { kind: 'record-crime', caseId: body.caseId ?? randomUUID(), crimeReference: body.crimeReference, offence: body.offence, reportedAt: body.reportedAt, at: new Date().toISOString() };
    const view = await this.handle(command, identity, response);
    response.setHeader('Location', `/forces/${identity.force}/cases/${view.caseId}`);
    return view;
  }

  @Post(':caseId/investigation')
  @HttpCode(200)
  @Allow('officer', 'supervisor')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  openInvestigation(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response, @Headers('if-match') match?: string): Promise<CaseView> {
    return this.handle({ kind: 'open-investigation', caseId, at: new Date().toISOString() }, identity, response, match);
  }

  @Put(':caseId/investigator')
  @Allow('supervisor', 'officer')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  assignInvestigator(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: AssignInvestigatorDto, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response, @Headers('if-match') match?: string): Promise<CaseView> {
    return this.handle({ kind: 'assign-investigator', caseId, officerId: body.officerId, at: new Date().toISOString() }, identity, response, match);
  }

  @Post(':caseId/outcome')
  @HttpCode(200)
  @Allow('supervisor')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: CaseView })
  recordOutcome(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: RecordOutcomeDto, @CurrentIdentity() identity: Identity, @Res({ passthrough: true }) response: Response, @Headers('if-match') match?: string): Promise<CaseView> {
    return this.handle({ kind: 'record-outcome', caseId, outcomeCode: body.outcomeCode, at: new Date().toISOString() }, identity, response, match);
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
