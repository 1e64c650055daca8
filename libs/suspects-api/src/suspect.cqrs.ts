import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Decider, SuspectEvent } from '#contracts';
import { DecisionRunner, problem, type DecisionContext, type Identity } from '#platform';
import { suspectDecider, suspectStreamId, type CourtState, type SuspectCommand, type SuspectState } from '#suspects-domain';
import type { SuspectView } from './suspect.dto.js';

/**
 * A suspect command as a route states it. Routes under `/suspects/:suspectId` name no case: the case is the
 * one the suspect's stream belongs to (identification, under `/cases/:caseId/suspects`, names it).
 */
export type SuspectRequest = SuspectCommand extends infer C
  ? C extends SuspectCommand
    ? Omit<C, 'caseId'> & { readonly caseId?: string }
    : never
  : never;

/** The suspect decider, taking the case of a command that names none from the stream it runs on. */
const onTheSuspectsCase: Decider<SuspectRequest, SuspectEvent, SuspectState> = {
  initialState: suspectDecider.initialState,
  evolve: (state, event) => suspectDecider.evolve(state, event),
  decide: (request, state, model) => suspectDecider.decide({ ...request, caseId: request.caseId ?? state.caseId ?? '' }, state, model),
};

function view(suspectId: string, state: SuspectState, revision: bigint | undefined): SuspectView {
  if (state.status === 'none' || state.caseId === undefined || revision === undefined) throw problem(404, 'not-found', 'Not found');
  return {
    suspectId,
    caseId: state.caseId,
    status: state.status,
    ...(state.lastArrestedAt ? { lastArrestedAt: state.lastArrestedAt } : {}),
    ...(state.bail ? { bail: { startDate: state.bail.startDate, endsOn: state.bail.endsOn, conditions: [...state.bail.conditions] } } : {}),
    ...(state.voluntaryInterviewFor ? { voluntaryInterviewFor: state.voluntaryInterviewFor } : {}),
    repeatSuspect: state.repeatSuspect,
    civilOrders: Object.entries(state.civilOrders).map(([orderId, { order, decision }]) => ({ orderId, order, decision })),
    ...(state.flagReview ? { flagReview: { ...state.flagReview } } : {}),
    ...(state.court ? { court: courtView(state.court) } : {}),
    revision: revision.toString(),
  };
}

/** One CQRS command for every suspect use case: the handler only maps it to a stream and runs the decider. */
export class HandleSuspectCommand extends Command<SuspectView> {
  constructor(
    readonly command: SuspectRequest,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(HandleSuspectCommand)
export class HandleSuspectCommandHandler implements ICommandHandler<HandleSuspectCommand, SuspectView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ command, context }: HandleSuspectCommand): Promise<SuspectView> {
    const decision = await this.runner.run(suspectStreamId(command.suspectId), onTheSuspectsCase, command, context);
    return view(command.suspectId, decision.state, decision.revision);
  }
}

/** The current state of one suspect, decided from its stream (strongly consistent). */
export class GetSuspectQuery extends Query<SuspectView> {
  constructor(
    readonly suspectId: string,
    readonly identity: Identity,
  ) {
    super();
  }
}

@QueryHandler(GetSuspectQuery)
export class GetSuspectQueryHandler implements IQueryHandler<GetSuspectQuery, SuspectView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ suspectId, identity }: GetSuspectQuery): Promise<SuspectView> {
    const { state, revision } = await this.runner.load(suspectStreamId(suspectId), suspectDecider, identity);
    return view(suspectId, state, revision);
  }
}

function courtView(court: CourtState): NonNullable<SuspectView['court']> {
  const decidedCounts = Object.entries(court.decidedCounts).map(([count, verdict]) => ({ count: Number(count), verdict }));
  return { stage: court.stage, sentToCrownCourt: court.sentToCrownCourt, decidedCounts };
}
