import { LearningEventTypes as T, type ModelRules, type NationalModelEvent } from '#contracts';
import { specFor } from '#testing';
import {
  NATIONAL_MODEL_STREAM_ID,
  OperatingModelRefused,
  compareModelVersions,
  decideNationalModel,
  nationalModelDecider,
  type ModelActor,
  type NationalModelCommand,
  type NationalModelState,
} from '../src/index.js';

const at = '2026-07-01T09:00:00.000Z';
const nationalTeam: ModelActor = { role: 'national-team', officerId: 'NOM-001' };
const forceAdmin: ModelActor = { role: 'force-administrator', officerId: 'WI-ADM1', force: 'wiltshire' };
const rules: ModelRules = {
  victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
  preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
};
const spec = specFor<NationalModelCommand, NationalModelEvent, NationalModelState>(nationalModelDecider);

const published = (version: string): NationalModelEvent => ({
  type: T.ModelVersionPublished,
  data: { version, catalogueVersion: '2026.1', rules, publishedAt: at },
});
const superseded = (version: string, supersededBy: string): NationalModelEvent => ({
  type: T.ModelVersionSuperseded,
  data: { version, supersededBy, supersededAt: at },
});

describe(decideNationalModel.name, () => {
  describe('publish-model-version', () => {
    const command: NationalModelCommand = {
      kind: 'publish-model-version',
      actor: nationalTeam,
      version: '2026.1',
      catalogueVersion: '2026.1',
      rules,
      at,
    };
    it('publishes the first version of the model', () =>
      spec
        .given([])
        .when(command)
        .then([published('2026.1')]));
    it('publishes a later version', () =>
      spec
        .given([published('2026.1')])
        .when({ ...command, version: '2026.2' })
        .then([published('2026.2')]));
    it('orders releases as numbers: 2026.10 follows 2026.9', () =>
      spec
        .given([published('2026.9')])
        .when({ ...command, version: '2026.10' })
        .then([published('2026.10')]));
    it.each([forceAdmin, { role: 'officer', officerId: 'AS-4471', force: 'avon-somerset' } as const])(
      'refuses anyone but the national team (%p)',
      (actor) =>
        spec
          .given([])
          .when({ ...command, actor })
          .thenThrows(OperatingModelRefused, 'only the national team'),
    );
    it.each(['2026', 'v2026.1', '26.1', '2026.1.0', ''])('refuses the malformed version %p', (version) =>
      spec
        .given([])
        .when({ ...command, version })
        .thenThrows(OperatingModelRefused, 'is not a version of the form'),
    );
    it('refuses a malformed catalogue version', () =>
      spec
        .given([])
        .when({ ...command, catalogueVersion: 'latest' })
        .thenThrows(OperatingModelRefused, 'latest is not a version'));
    it('refuses publishing a version twice', () =>
      spec
        .given([published('2026.1')])
        .when(command)
        .thenThrows(OperatingModelRefused, 'already published'));
    it('refuses a version older than the latest published', () =>
      spec
        .given([published('2026.1'), published('2027.1')])
        .when({ ...command, version: '2026.2' })
        .thenThrows(OperatingModelRefused, 'older than the latest published version 2027.1'));
    const deadline = (standardWorkingDays: number, enhancedWorkingDays: number): ModelRules => ({
      ...rules,
      victimUpdateDeadline: { standardWorkingDays, enhancedWorkingDays },
    });
    it.each<[string, ModelRules, string]>([
      ['an enhanced deadline longer than the standard', deadline(1, 5), 'must not be longer than the standard'],
      ['a zero deadline', deadline(5, 0), 'whole numbers of at least 1'],
      ['a fractional deadline', deadline(4.5, 1), 'whole numbers of at least 1'],
      [
        'bail limits that do not increase',
        { ...rules, preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 9, superintendentLimitMonths: 6 } },
        'bail limits must increase',
      ],
    ])('refuses rules with %s', (_, badRules, message) =>
      spec
        .given([])
        .when({ ...command, rules: badRules })
        .thenThrows(OperatingModelRefused, message),
    );
    it('names the rule broken', () =>
      expect(() => decideNationalModel({ ...command, rules: deadline(1, 5) }, nationalModelDecider.initialState)).toThrow(
        expect.objectContaining({ refusal: 'invalid-rules' }),
      ));
  });

  describe('supersede-model-version', () => {
    const command: NationalModelCommand = {
      kind: 'supersede-model-version',
      actor: nationalTeam,
      version: '2026.1',
      supersededBy: '2027.1',
      at,
    };
    const history = [published('2026.1'), published('2027.1')];
    it('supersedes a version by a later published one', () =>
      spec
        .given(history)
        .when(command)
        .then([superseded('2026.1', '2027.1')]));
    it('refuses anyone but the national team', () =>
      spec
        .given(history)
        .when({ ...command, actor: forceAdmin })
        .thenThrows(OperatingModelRefused, 'only the national team'));
    it('refuses a version never published', () =>
      spec
        .given(history)
        .when({ ...command, version: '2025.1' })
        .thenThrows(OperatingModelRefused, 'version 2025.1 was never published'));
    it('refuses a version already superseded', () =>
      spec
        .given([...history, superseded('2026.1', '2027.1')])
        .when(command)
        .thenThrows(OperatingModelRefused, 'already superseded by 2027.1'));
    it('refuses a replacement never published', () =>
      spec
        .given([published('2026.1')])
        .when(command)
        .thenThrows(OperatingModelRefused, 'version 2027.1 was never published'));
    it('refuses a replacement that is not later', () =>
      spec
        .given(history)
        .when({ ...command, version: '2027.1', supersededBy: '2026.1' })
        .thenThrows(OperatingModelRefused, 'can only be superseded by a later version'));
  });

  it('keeps every version in one national stream', () => {
    expect(NATIONAL_MODEL_STREAM_ID).toBe('operating-model');
  });

  it('compares versions by year, then release', () => {
    expect(['2027.1', '2026.10', '2026.2', '2026.9'].sort(compareModelVersions)).toEqual(['2026.2', '2026.9', '2026.10', '2027.1']);
  });
});
