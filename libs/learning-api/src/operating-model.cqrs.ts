import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  forceModelDecider,
  modelVersionInForce,
  nationalModelDecider,
  type AdoptModelVersion,
  type ForceModelState,
  type NationalModelCommand,
  type NationalModelState,
} from '#learning-domain';
import { forceModelStreamId, NATIONAL_MODEL_STREAM_ID } from '#contracts';
import { DecisionRunner, forceOf, problem, type DecisionContext, type Identity } from '#platform';
import type { ForceModelView, NationalModelView } from './operating-model.dto.js';

function forceView(force: string, state: ForceModelState, revision: bigint | undefined): ForceModelView {
  const versionInForce = modelVersionInForce(state);
  if (revision === undefined || versionInForce === undefined) throw problem(404, 'not-found', 'Not found');
  return { force, versionInForce, adoptions: state.adoptions.map((a) => ({ ...a })), revision: revision.toString() };
}

function nationalView(state: NationalModelState, revision: bigint | undefined): NationalModelView {
  if (revision === undefined) throw problem(404, 'not-found', 'Not found');
  return { versions: state.versions.map((v) => ({ ...v })), revision: revision.toString() };
}

/**
 * The national stream `operating-model`, folded for every caller: national reference data each force adopts
 * from. DecisionRunner.loadShared reads it for any force, and only because it is national (its events carry
 * metadata.force `national`): it never opens a force's stream. Reading only: nothing here appends to it.
 */
@Injectable()
export class NationalModelReader {
  constructor(private readonly runner: DecisionRunner) {}

  read(): Promise<{ state: NationalModelState; revision: bigint | undefined }> {
    return this.runner.loadShared(NATIONAL_MODEL_STREAM_ID, nationalModelDecider);
  }
}

/** The adoption command as the controller builds it; the handler adds the national state the decider expects. */
export type AdoptModelVersionRequest = Omit<AdoptModelVersion, 'national'>;

/** A force adopts a published version: one CQRS command on the force's stream `operating-model-<force>`. */
export class AdoptModelVersionCommand extends Command<ForceModelView> {
  constructor(
    readonly command: AdoptModelVersionRequest,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(AdoptModelVersionCommand)
export class AdoptModelVersionHandler implements ICommandHandler<AdoptModelVersionCommand, ForceModelView> {
  constructor(
    private readonly runner: DecisionRunner,
    private readonly national: NationalModelReader,
  ) {}

  async execute({ command, context }: AdoptModelVersionCommand): Promise<ForceModelView> {
    // The decider stays pure: the national stream is folded here and handed over as data, like the time. A
    // version superseded between this read and the append is still adopted; the next adoption moves on from it.
    const { state: national } = await this.national.read();
    const decision = await this.runner.run(forceModelStreamId(command.force), forceModelDecider, { ...command, national }, context);
    return forceView(command.force, decision.state, decision.revision);
  }
}

/** The version of the model in force in the caller's force. */
export class GetForceModelQuery extends Query<ForceModelView> {
  constructor(readonly identity: Identity) {
    super();
  }
}

@QueryHandler(GetForceModelQuery)
export class GetForceModelQueryHandler implements IQueryHandler<GetForceModelQuery, ForceModelView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ identity }: GetForceModelQuery): Promise<ForceModelView> {
    const force = forceOf(identity);
    const { state, revision } = await this.runner.load(forceModelStreamId(force), forceModelDecider, identity);
    return forceView(force, state, revision);
  }
}

/**
 * Publish or supersede a national version: one CQRS command on the national stream, reachable only by the
 * national team (`@Allow('national-team')`). DecisionRunner.run stamps the caller's scope, `national`, into every
 * event's metadata, so the store keeps the stream to the national scope: no force can ever append to it.
 */
export class HandleNationalModelCommand extends Command<NationalModelView> {
  constructor(
    readonly command: NationalModelCommand,
    readonly context: DecisionContext,
  ) {
    super();
  }
}

@CommandHandler(HandleNationalModelCommand)
export class HandleNationalModelCommandHandler implements ICommandHandler<HandleNationalModelCommand, NationalModelView> {
  constructor(private readonly runner: DecisionRunner) {}

  async execute({ command, context }: HandleNationalModelCommand): Promise<NationalModelView> {
    const decision = await this.runner.run(NATIONAL_MODEL_STREAM_ID, nationalModelDecider, command, context);
    return nationalView(decision.state, decision.revision);
  }
}

/** Every published version of the national model, readable by any authenticated caller of any force. */
export class GetNationalModelQuery extends Query<NationalModelView> {}

@QueryHandler(GetNationalModelQuery)
export class GetNationalModelQueryHandler implements IQueryHandler<GetNationalModelQuery, NationalModelView> {
  constructor(private readonly national: NationalModelReader) {}

  async execute(): Promise<NationalModelView> {
    const { state, revision } = await this.national.read();
    return nationalView(state, revision);
  }
}
