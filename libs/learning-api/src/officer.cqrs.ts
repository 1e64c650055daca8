import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { officerDevelopmentDecider, officerStreamId, type OfficerDevelopmentCommand, type OfficerDevelopmentState } from '#learning-domain';
import { DecisionRunner, forceOf, problem, type DecisionContext, type Identity } from '#platform';
import type { OfficerDevelopmentView } from './officer.dto.js';

/** Wellbeing check-ins are deliberately absent: the folded state holds none (see OfficerDevelopmentView). */
function view(officerId: string, state: OfficerDevelopmentState, revision: bigint | undefined): OfficerDevelopmentView {
  if (revision === undefined) throw problem(404, 'not-found', 'Not found');
  return {
    officerId,
    accreditations: { ...state.accreditations },
    trainingHours: state.trainingHours,
    ...(state.latestCaseload ? { latestCaseload: { ...state.latestCaseload } } : {}),
    reviewedCases: [...state.reviewedCases],
    lessons: [...state.lessons],
    revision: revision.toString(),
  };
}

/** One CQRS command for every officer development use case: the handler maps it to the officer's stream in the caller's force. */
export class HandleOfficerCommand extends Command<OfficerDevelopmentView> {
  constructor(
    readonly command: OfficerDevelopmentCommand,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(HandleOfficerCommand)
export class HandleOfficerCommandHandler implements ICommandHandler<HandleOfficerCommand, OfficerDevelopmentView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ command, context }: HandleOfficerCommand): Promise<OfficerDevelopmentView> {
    const streamId = officerStreamId(forceOf(context.identity), command.officerId);
    const decision = await this.runner.run(streamId, officerDevelopmentDecider, command, context);
    return view(command.officerId, decision.state, decision.revision);
  }
}

/** One officer's development record, decided from their stream (strongly consistent). */
export class GetOfficerQuery extends Query<OfficerDevelopmentView> {
  constructor(
    readonly officerId: string,
    readonly identity: Identity,
  ) {
    super();
  }
}

@QueryHandler(GetOfficerQuery)
export class GetOfficerQueryHandler implements IQueryHandler<GetOfficerQuery, OfficerDevelopmentView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ officerId, identity }: GetOfficerQuery): Promise<OfficerDevelopmentView> {
    const { state, revision } = await this.runner.load(officerStreamId(forceOf(identity), officerId), officerDevelopmentDecider, identity);
    return view(officerId, state, revision);
  }
}
