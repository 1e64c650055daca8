import { assertNever, type Decider, type ForceModelEvent, LearningEventTypes as T } from '#contracts';
import { compareModelVersions } from './model-version.js';
import { publishedVersion } from './national-model.state.js';
import type { ForceModelCommand } from './operating-model.commands.js';
import { refuseModelCommand as refuse } from './operating-model.errors.js';

export interface ForceModelState {
  /** Adoptions in order; each is newer than the one before, so the last is the version in force. */
  readonly adoptions: readonly { readonly version: string; readonly adoptedAt: string }[];
}

export const initialForceModelState: ForceModelState = { adoptions: [] };

/** The version of the operating model in force in a force, or undefined before its first adoption. */
export function modelVersionInForce(state: ForceModelState): string | undefined {
  return state.adoptions.at(-1)?.version;
}

export function decideForceModel(command: ForceModelCommand, state: ForceModelState): ForceModelEvent[] {
  switch (command.kind) {
    case 'adopt-model-version': {
      const { actor, force, version, national, at } = command;
      if (actor.role !== 'force-administrator') refuse('not-force-administrator', 'only a force administrator may record adoption');
      if (actor.force !== force) refuse('other-force', `an administrator of ${actor.force} cannot record adoption for ${force}`);
      const published = publishedVersion(national, version);
      if (!published) return refuse('version-not-published', `version ${version} was never published`);
      if (published.supersededBy !== undefined) {
        refuse('version-superseded', `version ${version} is superseded by ${published.supersededBy}`);
      }
      const inForce = modelVersionInForce(state);
      if (inForce === version) refuse('version-already-adopted', `${force} has already adopted version ${version}`);
      if (inForce !== undefined && compareModelVersions(version, inForce) < 0) {
        refuse('version-older-than-adopted', `${force} already runs version ${inForce}, later than ${version}`);
      }
      return [{ type: T.ModelVersionAdopted, data: { force, version, adoptedAt: at } }];
    }
    default:
      return assertNever(command.kind);
  }
}

export function evolveForceModel(state: ForceModelState, event: ForceModelEvent): ForceModelState {
  switch (event.type) {
    case T.ModelVersionAdopted:
      return { adoptions: [...state.adoptions, { version: event.data.version, adoptedAt: event.data.adoptedAt }] };
    default:
      return assertNever(event.type);
  }
}

export const forceModelDecider: Decider<ForceModelCommand, ForceModelEvent, ForceModelState> = {
  decide: decideForceModel,
  evolve: evolveForceModel,
  initialState: initialForceModelState,
};
