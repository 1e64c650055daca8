import { LearningEventTypes as T, type ForceModelEvent, type ModelRules, type NationalModelEvent } from '#contracts';
import { specFor } from '#testing';
import {
  OperatingModelRefused,
  decideForceModel,
  forceModelDecider,
  forceModelStreamId,
  modelVersionInForce,
  nationalModelDecider,
  type ForceModelCommand,
  type ForceModelState,
  type ModelActor,
} from '../src/index.js';

const at = '2026-09-01T08:00:00.000Z';
const force = 'wiltshire';
const admin: ModelActor = { role: 'force-administrator', officerId: 'WI-ADM1', force };
const rules: ModelRules = {
  victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
  preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
};
const spec = specFor<ForceModelCommand, ForceModelEvent, ForceModelState>(forceModelDecider);

const published = (version: string): NationalModelEvent => ({
  type: T.ModelVersionPublished,
  data: { version, catalogueVersion: '2026.1', rules, publishedAt: at },
});
const national = (...events: NationalModelEvent[]) => events.reduce(nationalModelDecider.evolve, nationalModelDecider.initialState);
const adopted = (version: string): ForceModelEvent => ({ type: T.ModelVersionAdopted, data: { force, version, adoptedAt: at } });

/** 2026.1 superseded by 2026.2; 2027.1 published and current. */
const nationalHistory = national(
  published('2026.1'),
  published('2026.2'),
  { type: T.ModelVersionSuperseded, data: { version: '2026.1', supersededBy: '2026.2', supersededAt: at } },
  published('2027.1'),
);

describe(decideForceModel.name, () => {
  describe('adopt-model-version', () => {
    const command: ForceModelCommand = {
      kind: 'adopt-model-version',
      actor: admin,
      force,
      version: '2026.2',
      national: nationalHistory,
      at,
    };
    it("records the force's first adoption", () =>
      spec
        .given([])
        .when(command)
        .then([adopted('2026.2')]));
    it('moves forward to a later version', () =>
      spec
        .given([adopted('2026.2')])
        .when({ ...command, version: '2027.1' })
        .then([adopted('2027.1')]));
    it('refuses anyone but a force administrator', () =>
      spec
        .given([])
        .when({ ...command, actor: { role: 'officer', officerId: 'WI-0712', force } })
        .thenThrows(OperatingModelRefused, 'only a force administrator'));
    it('refuses the national team recording adoption for a force', () =>
      spec
        .given([])
        .when({ ...command, actor: { role: 'national-team', officerId: 'NOM-001' } })
        .thenThrows(OperatingModelRefused, 'only a force administrator'));
    it("refuses another force's administrator", () =>
      spec
        .given([])
        .when({ ...command, actor: { ...admin, force: 'avon-somerset' } })
        .thenThrows(OperatingModelRefused, 'an administrator of avon-somerset cannot record adoption for wiltshire'));
    it('refuses a version never published', () =>
      spec
        .given([])
        .when({ ...command, version: '2027.2' })
        .thenThrows(OperatingModelRefused, 'never published'));
    it('refuses a superseded version', () =>
      spec
        .given([])
        .when({ ...command, version: '2026.1' })
        .thenThrows(OperatingModelRefused, 'superseded by 2026.2'));
    it('refuses adopting the version already in force', () =>
      spec
        .given([adopted('2026.2')])
        .when(command)
        .thenThrows(OperatingModelRefused, 'already adopted version 2026.2'));
    it('refuses going back to an older version', () =>
      spec
        .given([adopted('2027.1')])
        .when(command)
        .thenThrows(OperatingModelRefused, 'already runs version 2027.1'));
  });

  describe(modelVersionInForce.name, () => {
    const fold = (events: ForceModelEvent[]) => events.reduce(forceModelDecider.evolve, forceModelDecider.initialState);
    it('is undefined before the first adoption', () => expect(modelVersionInForce(fold([]))).toBeUndefined());
    it('is the latest version adopted', () => expect(modelVersionInForce(fold([adopted('2026.2'), adopted('2027.1')]))).toBe('2027.1'));
    it('stays in force when the national team supersedes it, until the force adopts another', () => {
      const later = national(published('2026.2'), published('2027.1'), {
        type: T.ModelVersionSuperseded,
        data: { version: '2026.2', supersededBy: '2027.1', supersededAt: at },
      });
      expect(later.versions.find((v) => v.version === '2026.2')?.supersededBy).toBe('2027.1');
      expect(modelVersionInForce(fold([adopted('2026.2')]))).toBe('2026.2');
    });
  });

  it('keeps one stream per force', () => {
    expect(forceModelStreamId(force)).toBe('operating-model-wiltshire');
  });
});
