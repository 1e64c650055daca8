import { assertNever, type Decider, LearningEventTypes as T, type NationalModelEvent } from '#contracts';
import { compareModelVersions, isModelVersion, rulesProblem } from './model-version.js';
import { evolveNationalModel, initialNationalModelState, publishedVersion, type NationalModelState } from './national-model.state.js';
import type { ModelActor, NationalModelCommand } from './operating-model.commands.js';
import { refuseModelCommand as refuse } from './operating-model.errors.js';

type Command<K extends NationalModelCommand['kind']> = Extract<NationalModelCommand, { kind: K }>;

function requireNationalTeam(actor: ModelActor): void {
  if (actor.role !== 'national-team') refuse('not-national-team', 'only the national team may publish or supersede the model');
}

function publish(command: Command<'publish-model-version'>, state: NationalModelState): NationalModelEvent[] {
  const { version, catalogueVersion, rules, at } = command;
  requireNationalTeam(command.actor);
  for (const v of [version, catalogueVersion]) {
    if (!isModelVersion(v)) refuse('invalid-version', `${v} is not a version of the form <year>.<release>, e.g. 2026.1`);
  }
  if (publishedVersion(state, version)) refuse('version-already-published', `version ${version} is already published`);
  const latest = state.versions.at(-1);
  if (latest && compareModelVersions(version, latest.version) < 0) {
    refuse('version-not-newer', `version ${version} is older than the latest published version ${latest.version}`);
  }
  const problem = rulesProblem(rules);
  if (problem !== undefined) refuse('invalid-rules', problem);
  return [{ type: T.ModelVersionPublished, data: { version, catalogueVersion, rules, publishedAt: at } }];
}

function supersede(command: Command<'supersede-model-version'>, state: NationalModelState): NationalModelEvent[] {
  const { version, supersededBy, at } = command;
  requireNationalTeam(command.actor);
  const superseded = publishedVersion(state, version);
  if (!superseded) return refuse('version-not-published', `version ${version} was never published`);
  if (superseded.supersededBy !== undefined) {
    refuse('version-already-superseded', `version ${version} is already superseded by ${superseded.supersededBy}`);
  }
  if (!publishedVersion(state, supersededBy)) refuse('replacement-not-published', `version ${supersededBy} was never published`);
  if (compareModelVersions(supersededBy, version) <= 0) {
    refuse('replacement-not-newer', `version ${version} can only be superseded by a later version, not ${supersededBy}`);
  }
  return [{ type: T.ModelVersionSuperseded, data: { version, supersededBy, supersededAt: at } }];
}

export function decideNationalModel(command: NationalModelCommand, state: NationalModelState): NationalModelEvent[] {
  switch (command.kind) {
    case 'publish-model-version':
      return publish(command, state);
    case 'supersede-model-version':
      return supersede(command, state);
    default:
      return assertNever(command);
  }
}

export const nationalModelDecider: Decider<NationalModelCommand, NationalModelEvent, NationalModelState> = {
  decide: decideNationalModel,
  evolve: evolveNationalModel,
  initialState: initialNationalModelState,
};
