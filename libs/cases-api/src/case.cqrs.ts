import { Command, CommandBus, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, type CaseCommand, type CaseState } from '#cases-domain';
import { DecisionRunner, problem, type DecisionContext, type Identity } from '#platform';
import type { Response } from 'express';
import type { CaseView } from './case.dto.js';

function view(caseId: string, state: CaseState, revision: bigint | undefined): CaseView {
  if (state.status === 'none' || revision === undefined) throw problem(404, 'not-found', 'Not found');
  return {
    caseId,
    status: state.status,
    ...(state.n100Reference ? { n100Reference: state.n100Reference } : {}),
    ...(state.crimeReference ? { crimeReference: state.crimeReference } : {}),
    ...(state.investigatorId ? { investigatorId: state.investigatorId } : {}),
    ...(state.supervisorId ? { supervisorId: state.supervisorId } : {}),
    linesOfEnquiry: (state.linesOfEnquiry ?? []).map((line) => ({ ...line })),
    suspectIds: [...state.suspectIds],
    extractions: Object.entries(state.extractions).map(([extractionId, e]) => ({ extractionId, ...e })),
    ...(state.pendingChargingFile ? { pendingChargingFile: state.pendingChargingFile } : {}),
    ...(state.chargingDecision ? { chargingDecision: state.chargingDecision } : {}),
    ...(state.outcomeCode !== undefined ? { outcomeCode: state.outcomeCode } : {}),
    revision: revision.toString(),
  };
}

/** Runs one case command and sets the ETag to the stream's new revision (shared by the case controllers). */
export async function runCaseCommand(commands: CommandBus, command: CaseCommand, context: DecisionContext, response: Response): Promise<CaseView> {
  const result = await commands.execute(new HandleCaseCommand(command, context));
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}

/** One CQRS command for every case use case: the handler only maps it to a stream and runs the decider. */
export class HandleCaseCommand extends Command<CaseView> {
  constructor(
    readonly command: CaseCommand,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(HandleCaseCommand)
export class HandleCaseCommandHandler implements ICommandHandler<HandleCaseCommand, CaseView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ command, context }: HandleCaseCommand): Promise<CaseView> {
    const decision = await this.runner.run(caseStreamId(command.caseId), caseDecider, command, context);
    return view(command.caseId, decision.state, decision.revision);
  }
}

/** The current state of one case, decided from its stream (strongly consistent, unlike the projections). */
export class GetCaseQuery extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly identity: Identity,
  ) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseQueryHandler implements IQueryHandler<GetCaseQuery, CaseView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ caseId, identity }: GetCaseQuery): Promise<CaseView> {
    const { state, revision } = await this.runner.load(caseStreamId(caseId), caseDecider, identity);
    return view(caseId, state, revision);
  }
}
