import { Command, CommandBus, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, type CaseCommand, type CaseState } from '#cases-domain';
import { suspectDecider, suspectStreamId } from '#suspects-domain';
import { victimDecider, victimStreamId } from '#victims-domain';
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
    extractions: Object.entries(state.extractions).map(([extractionId, { deviceOwner, status, retentionDays }]) => ({
      extractionId,
      deviceOwner,
      status,
      ...(retentionDays === undefined ? {} : { retentionDays }),
    })),
    ...(state.pendingChargingFile ? { pendingChargingFile: state.pendingChargingFile } : {}),
    ...(state.chargingDecision ? { chargingDecision: state.chargingDecision } : {}),
    cpsActions: state.cps.actions.map((action) => ({ ...action })),
    chargingFiles: Object.entries(state.cps.files).map(([suspectId, file]) => ({ suspectId, ...file })),
    ...(state.outcomeCode !== undefined ? { outcomeCode: state.outcomeCode } : {}),
    revision: revision.toString(),
  };
}

/** Runs one case command and sets the ETag to the stream's new revision (shared by the case controllers). */
export async function runCaseCommand(
  commands: CommandBus,
  command: CaseCommand,
  context: DecisionContext,
  response: Response,
): Promise<CaseView> {
  const result = await commands.execute(new HandleCaseCommand(command, context));
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}

/**
 * The case's suspects charged in the suspects context (outcome 1 needs one): read from their streams by whoever
 * runs a record-outcome command (the HTTP handler, the simulator), so the case decider stays pure and a caller
 * cannot claim a charge. Suspect streams are the caller's force's own.
 */
export async function chargedSuspects(runner: DecisionRunner, caseId: string, identity: Identity): Promise<string[]> {
  const { state } = await runner.load(caseStreamId(caseId), caseDecider, identity);
  const suspects = await Promise.all(
    state.suspectIds.map(async (suspectId) => ({
      suspectId,
      suspect: (await runner.load(suspectStreamId(suspectId), suspectDecider, identity)).state,
    })),
  );
  return suspects.filter(({ suspect }) => suspect.status === 'charged' && suspect.caseId === caseId).map(({ suspectId }) => suspectId);
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
    const decided = await this.withFactsOfOtherStreams(command, context.identity);
    const decision = await this.runner.run(caseStreamId(command.caseId), caseDecider, decided, context);
    return view(command.caseId, decision.state, decision.revision);
  }

  /** What a command needs from other contexts' streams, read here so that the decider stays pure and no caller claims it. */
  private async withFactsOfOtherStreams(command: CaseCommand, identity: Identity): Promise<CaseCommand> {
    if (command.kind === 'record-outcome' && command.outcomeCode === 1) {
      return { ...command, chargedSuspectIds: await chargedSuspects(this.runner, command.caseId, identity) };
    }
    if (command.kind === 'request-right-to-review') {
      const { state } = await this.runner.load(victimStreamId(command.victimId), victimDecider, identity);
      return { ...command, ...(state.caseId === undefined ? {} : { victimCaseId: state.caseId }) };
    }
    return command;
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
