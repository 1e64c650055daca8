import { assertNever, LearningEventTypes as T, type ModelRules, type NationalModelEvent } from '#contracts';

export interface PublishedModelVersion {
  readonly version: string;
  readonly catalogueVersion: string;
  readonly rules: ModelRules;
  readonly publishedAt: string;
  readonly supersededBy?: string;
}

export interface NationalModelState {
  /** In publication order, which is also version order: versions are only ever published forwards. */
  readonly versions: readonly PublishedModelVersion[];
}

export const initialNationalModelState: NationalModelState = { versions: [] };

export function publishedVersion(state: NationalModelState, version: string): PublishedModelVersion | undefined {
  return state.versions.find((v) => v.version === version);
}

export function evolveNationalModel(state: NationalModelState, event: NationalModelEvent): NationalModelState {
  switch (event.type) {
    case T.ModelVersionPublished: {
      const { version, catalogueVersion, rules, publishedAt } = event.data;
      return { versions: [...state.versions, { version, catalogueVersion, rules, publishedAt }] };
    }
    case T.ModelVersionSuperseded: {
      const { version, supersededBy } = event.data;
      return { versions: state.versions.map((v) => (v.version === version ? { ...v, supersededBy } : v)) };
    }
    default:
      return assertNever(event);
  }
}
