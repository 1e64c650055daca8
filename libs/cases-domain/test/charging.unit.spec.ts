import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, linked, open, recorded, spec, suspectId } from './case.fixtures.js';

const cpsReference = '52AS0421126';
const submitted: CaseEvent = {
  type: T.ChargingFileSubmitted,
  data: { caseId, cpsReference, submittedAt: at, suspectIds: [suspectId], offenceCode: '19C' },
};
/** A file recorded before files named their suspects: for every suspect linked then. */
const legacySubmitted: CaseEvent = { type: T.ChargingFileSubmitted, data: { caseId, cpsReference, submittedAt: at } };
const decided: CaseEvent = { type: T.ChargingDecisionMade, data: { caseId, cpsReference, decision: 'charge', decidedAt: at } };

describe('CPS early advice and charging', () => {
  describe('request-early-advice', () => {
    const command: CaseCommand = { kind: 'request-early-advice', caseId, at };
    it('requests early advice', () =>
      spec
        .given(open)
        .when(command)
        .then([{ type: T.CpsEarlyAdviceRequested, data: { caseId, requestedAt: at } }]));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('submit-charging-file', () => {
    const command: CaseCommand = { kind: 'submit-charging-file', caseId, cpsReference, at };
    it('submits a charging file on a case with a suspect', () =>
      spec
        .given([...open, linked])
        .when(command)
        .then([submitted]));
    it('submits again after the CPS asked for further investigation', () =>
      spec
        .given([...open, linked, submitted, { ...decided, data: { ...decided.data, decision: 'further-investigation-requested' } }])
        .when(command)
        .then([submitted]));
    it('refuses without a suspect linked', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'needs a suspect'));
    it('refuses while a file awaits a decision', () =>
      spec
        .given([...open, linked, submitted])
        .when(command)
        .thenThrows(CaseCommandRefused, 'awaits a decision'));
    it('refuses a malformed CPS reference', () =>
      spec
        .given([...open, linked])
        .when({ ...command, cpsReference: 'x' })
        .thenThrows(CaseCommandRefused, 'cpsReference'));
  });

  describe('record-charging-decision', () => {
    const command: CaseCommand = { kind: 'record-charging-decision', caseId, cpsReference, decision: 'charge', at };
    it('records the charging decision', () =>
      spec
        .given([...open, linked, submitted])
        .when(command)
        .then([decided]));
    it('records the charging decision on a file recorded before files named suspects', () =>
      spec
        .given([...open, linked, legacySubmitted])
        .when(command)
        .then([decided]));
    it('refuses without a file awaiting a decision', () =>
      spec
        .given([...open, linked])
        .when(command)
        .thenThrows(CaseCommandRefused, 'no charging file'));
    it('refuses a second decision on the same file', () =>
      spec
        .given([...open, linked, submitted, decided])
        .when(command)
        .thenThrows(CaseCommandRefused, 'no charging file'));
    it('refuses a decision on another CPS reference', () =>
      spec
        .given([...open, linked, submitted])
        .when({ ...command, cpsReference: '52AS0000001' })
        .thenThrows(CaseCommandRefused, 'awaiting a decision is'));
  });
});
