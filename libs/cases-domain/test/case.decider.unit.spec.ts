import { CaseEventTypes, type CaseEvent } from '#contracts';
import { specFor } from '#testing';
import { CaseCommandRefused, caseDecider, type CaseCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const at = '2026-11-03T09:00:00.000Z';
const spec = specFor<CaseCommand, CaseEvent, ReturnType<typeof caseDecider.evolve>>(caseDecider);

const recorded: CaseEvent = {
  type: CaseEventTypes.CrimeRecorded,
  data: { caseId, crimeReference: 'AS/26/004211', offence: 'rape-of-female-16-plus', reportedAt: at, recordedAt: at },
};
const opened: CaseEvent = { type: CaseEventTypes.InvestigationOpened, data: { caseId, openedAt: at } };
const assigned: CaseEvent = { type: CaseEventTypes.InvestigatorAssigned, data: { caseId, officerId: 'AS-1', assignedAt: at } };
const closed: CaseEvent = { type: CaseEventTypes.OutcomeRecorded, data: { caseId, outcomeCode: 14, recordedAt: at } };

describe('case decider', () => {
  describe('record-crime', () => {
    const command: CaseCommand = {
      kind: 'record-crime',
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      reportedAt: at,
      at,
    };
    it('records a new crime', () => spec.given([]).when(command).then([recorded]));
    it('refuses to record the same case twice', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'already recorded'));
  });

  describe('open-investigation', () => {
    const command: CaseCommand = { kind: 'open-investigation', caseId, at };
    it('opens an investigation on a recorded crime', () => spec.given([recorded]).when(command).then([opened]));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('refuses a second open', () =>
      spec.given([recorded, opened]).when(command).thenThrows(CaseCommandRefused, 'already open'));
    it('refuses a closed case', () =>
      spec.given([recorded, opened, closed]).when(command).thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('assign-investigator', () => {
    const command: CaseCommand = { kind: 'assign-investigator', caseId, officerId: 'AS-1', at };
    it('assigns an investigator', () => spec.given([recorded, opened]).when(command).then([assigned]));
    it('reassigns to another officer', () =>
      spec
        .given([recorded, opened, assigned])
        .when({ ...command, officerId: 'AS-2' })
        .then([{ type: CaseEventTypes.InvestigatorAssigned, data: { caseId, officerId: 'AS-2', assignedAt: at } }]));
    it('records nothing when the same officer is assigned again', () =>
      spec.given([recorded, opened, assigned]).when(command).then([]));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('refuses a closed case', () =>
      spec.given([recorded, opened, closed]).when(command).thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('record-outcome', () => {
    const command: CaseCommand = { kind: 'record-outcome', caseId, outcomeCode: 14, at };
    it('closes the case with a Home Office outcome', () => spec.given([recorded, opened]).when(command).then([closed]));
    it.each([0, 19, 23, -1, 1.5])('refuses outcome code %p', (outcomeCode) =>
      spec
        .given([recorded, opened])
        .when({ ...command, outcomeCode })
        .thenThrows(CaseCommandRefused, 'not a Home Office outcome type'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses a case already closed', () =>
      spec.given([recorded, opened, closed]).when(command).thenThrows(CaseCommandRefused, 'closed'));
  });
});
