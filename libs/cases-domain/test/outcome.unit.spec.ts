import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, linked, open, recorded, spec } from './case.fixtures.js';

describe('outcome and reopening', () => {
  describe('record-outcome', () => {
    const command: CaseCommand = { kind: 'record-outcome', caseId, outcomeCode: 14, at };
    it('closes the case with a Home Office outcome', () => spec.given(open).when(command).then([closed]));
    it('closes with an outcome naming a suspect once one is linked', () =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode: 1 })
        .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode: 1, recordedAt: at } }]));
    it.each([1, 9, 15, 22])('refuses outcome %p without a suspect linked', (outcomeCode) =>
      spec.given(open).when({ ...command, outcomeCode }).thenThrows(CaseCommandRefused, 'needs a suspect'));
    it.each([0, 19, 23, -1, 1.5])('refuses outcome code %p', (outcomeCode) =>
      spec.given(open).when({ ...command, outcomeCode }).thenThrows(CaseCommandRefused, 'not a Home Office outcome type'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses a case already closed', () => spec.given([...open, closed]).when(command).thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('reopen-case', () => {
    const command: CaseCommand = { kind: 'reopen-case', caseId, reason: 'new-evidence', at };
    const reopened: CaseEvent = { type: T.CaseReopened, data: { caseId, reason: 'new-evidence', previousOutcomeCode: 14, reopenedAt: at } };
    it('reopens a closed case', () => spec.given([...open, closed]).when(command).then([reopened]));
    it('reopens the investigation: a new outcome can be recorded', () =>
      spec.given([...open, closed, reopened]).when({ kind: 'record-outcome', caseId, outcomeCode: 18, at }).then([
        { type: T.OutcomeRecorded, data: { caseId, outcomeCode: 18, recordedAt: at } },
      ]));
    it('refuses a case that is not closed', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'only a closed case'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
  });
});
