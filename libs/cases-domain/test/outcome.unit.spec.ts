import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, crime, linked, open, opened, recorded, spec, suspectId } from './case.fixtures.js';

describe('outcome and reopening', () => {
  describe('record-outcome', () => {
    const command: CaseCommand = { kind: 'record-outcome', caseId, outcomeCode: 14, at };
    it('closes the case with a Home Office outcome', () => spec.given(open).when(command).then([closed]));
    it('closes with outcome 1 once a suspect of the case has been charged', () =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode: 1, chargedSuspectIds: [suspectId] })
        .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode: 1, recordedAt: at } }]));
    it('refuses outcome 1 when no suspect of the case has been charged', () =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode: 1 })
        .thenThrows(CaseCommandRefused, 'needs a charge recorded'));
    it("refuses outcome 1 on another case's charged suspect", () =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode: 1, chargedSuspectIds: ['0d6f7e8a-1b2c-4d3e-8f4a-5b6c7d8e9f0a'] })
        .thenThrows(CaseCommandRefused, 'needs a charge recorded'));
    it.each([1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 15, 16, 17, 21, 22])('refuses outcome %p without a named suspect linked', (outcomeCode) =>
      spec
        .given(open)
        .when({ ...command, outcomeCode })
        .thenThrows(CaseCommandRefused, 'needs a named suspect'),
    );
    it.each([14, 18, 20])('closes with outcome %p, which needs no suspect', (outcomeCode) =>
      spec
        .given(open)
        .when({ ...command, outcomeCode })
        .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode, recordedAt: at } }]),
    );
    it.each([13, 16, 17])('closes with outcome %p once a named suspect is linked', (outcomeCode) =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode })
        .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode, recordedAt: at } }]),
    );
    it('refuses outcome 19 as never a RASSO outcome, saying why', () =>
      spec
        .given([...open, linked])
        .when({ ...command, outcomeCode: 19 })
        .thenThrows(CaseCommandRefused, 'National Fraud Intelligence Bureau'));
    it.each([0, 23, -1, 1.5])('refuses outcome code %p', (outcomeCode) =>
      spec
        .given(open)
        .when({ ...command, outcomeCode })
        .thenThrows(CaseCommandRefused, 'not a Home Office outcome type'),
    );

    describe('disposals not open to the offence', () => {
      const sexualAssault: CaseEvent = { type: T.CrimeRecorded, data: { ...crime, offence: 'sexual-assault', offenceCode: '20A' } };
      it.each([6, 7, 8])('refuses outcome %p for rape', (outcomeCode) =>
        spec
          .given([...open, linked])
          .when({ ...command, outcomeCode })
          .thenThrows(CaseCommandRefused, 'not open to rape-of-female-16-plus'),
      );
      it.each([6, 7])('refuses outcome %p for any sexual offence (it is open only to other, listed offences)', (outcomeCode) =>
        spec
          .given([sexualAssault, opened, linked])
          .when({ ...command, outcomeCode })
          .thenThrows(CaseCommandRefused, 'not open to sexual-assault'),
      );
      it('accepts a community resolution (8) for a sexual assault', () =>
        spec
          .given([sexualAssault, opened, linked])
          .when({ ...command, outcomeCode: 8 })
          .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode: 8, recordedAt: at } }]));
      it.each([2, 3])("refuses a caution (%p) for rape without the CPS's agreement", (outcomeCode) =>
        spec
          .given([...open, linked])
          .when({ ...command, outcomeCode })
          .thenThrows(CaseCommandRefused, "needs the CPS's agreement"),
      );
      it.each([2, 3])("records a caution (%p) for rape with the CPS's agreement", (outcomeCode) =>
        spec
          .given([...open, linked])
          .when({ ...command, outcomeCode, cpsAgreementReference: '52AS1234526' })
          .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode, recordedAt: at, cpsAgreementReference: '52AS1234526' } }]),
      );
      it('records a caution for an either-way offence without one', () =>
        spec
          .given([sexualAssault, opened, linked])
          .when({ ...command, outcomeCode: 3 })
          .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode: 3, recordedAt: at } }]));
      it('refuses a CPS agreement where none is called for', () =>
        spec
          .given([...open, linked])
          .when({ ...command, outcomeCode: 15, cpsAgreementReference: '52AS1234526' })
          .thenThrows(CaseCommandRefused, 'only for a caution for an indictable-only offence'));
      it('refuses a CPS agreement that is not a CPS reference', () =>
        spec
          .given([...open, linked])
          .when({ ...command, outcomeCode: 3, cpsAgreementReference: 'not a reference' })
          .thenThrows(CaseCommandRefused, 'a CPS reference'));
    });
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it('refuses a case already closed', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('reopen-case', () => {
    const command: CaseCommand = { kind: 'reopen-case', caseId, reason: 'new-evidence', at };
    const reopened: CaseEvent = { type: T.CaseReopened, data: { caseId, reason: 'new-evidence', previousOutcomeCode: 14, reopenedAt: at } };
    it('reopens a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .then([reopened]));
    it('reopens the investigation: a new outcome can be recorded', () =>
      spec
        .given([...open, closed, reopened])
        .when({ kind: 'record-outcome', caseId, outcomeCode: 18, at })
        .then([{ type: T.OutcomeRecorded, data: { caseId, outcomeCode: 18, recordedAt: at } }]));
    it('refuses a case that is not closed', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'only a closed case'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
  });
});
