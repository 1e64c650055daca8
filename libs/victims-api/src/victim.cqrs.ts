import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Decider, VictimEvent } from '#contracts';
import { DecisionRunner, problem, type DecisionContext, type Identity } from '#platform';
import { victimDecider, victimStreamId, type VictimCommand, type VictimState } from '#victims-domain';
import type { VictimView } from './victim.dto.js';

/**
 * The victim commands people send. The update-duty timers (`open-update-duty`, `check-deadlines`,
 * `close-duties`) are sent by the process manager and the timer service, never over HTTP.
 */
export type HumanVictimCommand = Exclude<VictimCommand, { readonly kind: 'open-update-duty' | 'check-deadlines' | 'close-duties' }>;

/**
 * A victim command as a route states it. Routes under `/victims/:victimId` name no case: the case is the one
 * the victim's stream belongs to (first contact, under `/cases/:caseId/victims`, names it).
 */
export type VictimRequest = HumanVictimCommand extends infer C
  ? C extends HumanVictimCommand
    ? Omit<C, 'caseId'> & { readonly caseId?: string }
    : never
  : never;

/** The victim decider, taking the case of a command that names none from the stream it runs on. */
const onTheVictimsCase: Decider<VictimRequest, VictimEvent, VictimState> = {
  initialState: victimDecider.initialState,
  evolve: (state, event) => victimDecider.evolve(state, event),
  decide: (request, state, model) => victimDecider.decide({ ...request, caseId: request.caseId ?? state.caseId ?? '' }, state, model),
};

function view(victimId: string, state: VictimState, revision: bigint | undefined): VictimView {
  if (state.status === 'unknown' || state.caseId === undefined || revision === undefined) throw problem(404, 'not-found', 'Not found');
  return {
    victimId,
    caseId: state.caseId,
    status: state.status,
    enhancedRights: [...state.enhancedRights],
    isvaReferred: state.isvaReferred,
    ...(state.agreedChannels ? { agreedChannels: [...state.agreedChannels] } : {}),
    specialMeasures: [...state.specialMeasures],
    vps: state.vps,
    lettersSent: [...state.lettersSent],
    updateDuties: state.duties.map(({ triggerEventId, trigger, dueBy, status, missed }) => ({
      triggerEventId,
      trigger,
      dueBy,
      status,
      missed,
    })),
    evidence: evidenceView(state),
    revision: revision.toString(),
  };
}

function evidenceView({ evidence }: VictimState): VictimView['evidence'] {
  return {
    abeInterviews: Object.entries(evidence.abeInterviews).map(([interviewId, status]) => ({ interviewId, status })),
    forensicExaminations: Object.entries(evidence.examinations).map(([examinationId, status]) => ({ examinationId, status })),
    specialMeasuresApplications: Object.entries(evidence.applications).map(([applicationId, { measures, decided }]) => ({
      applicationId,
      measures: [...measures],
      decided,
    })),
    grantedMeasures: [...evidence.grantedMeasures],
    preRecordedCrossExamination: evidence.preRecordedCrossExamination,
    chargeKnown: evidence.chargeKnown,
  };
}

/** One CQRS command for every victim use case: the handler only maps it to a stream and runs the decider. */
export class HandleVictimCommand extends Command<VictimView> {
  constructor(
    readonly command: VictimRequest,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(HandleVictimCommand)
export class HandleVictimCommandHandler implements ICommandHandler<HandleVictimCommand, VictimView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ command, context }: HandleVictimCommand): Promise<VictimView> {
    const decision = await this.runner.run(victimStreamId(command.victimId), onTheVictimsCase, command, context);
    return view(command.victimId, decision.state, decision.revision);
  }
}

/** The current state of one victim in a case, decided from its stream (strongly consistent). */
export class GetVictimQuery extends Query<VictimView> {
  constructor(
    readonly victimId: string,
    readonly identity: Identity,
  ) {
    super();
  }
}

@QueryHandler(GetVictimQuery)
export class GetVictimQueryHandler implements IQueryHandler<GetVictimQuery, VictimView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ victimId, identity }: GetVictimQuery): Promise<VictimView> {
    const { state, revision } = await this.runner.load(victimStreamId(victimId), victimDecider, identity);
    return view(victimId, state, revision);
  }
}
