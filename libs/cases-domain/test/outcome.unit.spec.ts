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

  describe("Victims' Right to Review", () => {
    const reviewId = '5d1e7c2a-3b4f-4a6e-9c8d-7e6f5a4b3c2d';
    const victimId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    const request: CaseCommand = {
      kind: 'request-right-to-review',
      caseId,
      reviewId,
      victimId,
      scheme: 'police',
      victimCaseId: caseId,
      at,
    };
    const requested: CaseEvent = {
      type: T.RightToReviewRequested,
      data: { caseId, reviewId, victimId, scheme: 'police', outcomeCode: 14, requestedAt: at },
    };
    const decide = (result: 'original-decision-stands' | 'original-decision-overturned'): CaseCommand => ({
      kind: 'decide-right-to-review',
      caseId,
      reviewId,
      result,
      at,
    });
    const decided = (result: 'original-decision-stands' | 'original-decision-overturned'): CaseEvent => ({
      type: T.RightToReviewDecided,
      data: { caseId, reviewId, result, decidedAt: at },
    });
    const reopen: CaseCommand = { kind: 'reopen-case', caseId, reason: 'victim-right-to-review', at };
    const charged: CaseEvent = { type: T.OutcomeRecorded, data: { caseId, outcomeCode: 1, recordedAt: at } };
    const cpsNfa: CaseEvent[] = [
      { type: T.ChargingFileSubmitted, data: { caseId, cpsReference: '52AS0421126', submittedAt: at } },
      { type: T.ChargingDecisionMade, data: { caseId, cpsReference: '52AS0421126', decision: 'no-further-action', decidedAt: at } },
    ];

    it('given a police decision not to charge, when the victim asks for a review, records the request', () =>
      spec
        .given([...open, closed])
        .when(request)
        .then([requested]));
    it("refuses a victim of another case (the handler reads the victim's case from its stream)", () => {
      spec
        .given([...open, closed])
        .when({ ...request, victimCaseId: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' })
        .thenThrows(CaseCommandRefused, 'a victim of this case');
      spec
        .given([...open, closed])
        .when({ kind: 'request-right-to-review', caseId, reviewId, victimId, scheme: 'police', at })
        .thenThrows(CaseCommandRefused, 'a victim of this case');
    });
    it('given an open case, refuses: there is no decision to review yet', () =>
      spec.given(open).when(request).thenThrows(CaseCommandRefused, 'the case has no outcome'));
    it('given a charge (outcome 1), refuses the police scheme', () =>
      spec
        .given([...open, linked, charged])
        .when(request)
        .thenThrows(CaseCommandRefused, 'outcome 1 is not one'));
    it('given no CPS decision not to charge, refuses the CPS scheme', () =>
      spec
        .given([...open, closed])
        .when({ ...request, scheme: 'cps' })
        .thenThrows(CaseCommandRefused, 'CPS decision not to charge'));
    it('given a CPS decision of no further action, records a CPS-scheme request', () =>
      spec
        .given([...open, linked, ...cpsNfa, { type: T.OutcomeRecorded, data: { caseId, outcomeCode: 15, recordedAt: at } }])
        .when({ ...request, scheme: 'cps' })
        .then([
          {
            type: T.RightToReviewRequested,
            data: { caseId, reviewId, victimId, scheme: 'cps', outcomeCode: 15, requestedAt: at },
          },
        ]));
    it('given a review already open under the scheme, refuses a second; the same request again is a retry', () => {
      spec
        .given([...open, closed, requested])
        .when({ ...request, reviewId: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' })
        .thenThrows(CaseCommandRefused, 'already open');
      spec
        .given([...open, closed, requested])
        .when(request)
        .then([]);
    });
    it('decides a review; deciding it again the same way is a retry, differently a refusal', () => {
      spec
        .given([...open, closed, requested])
        .when(decide('original-decision-stands'))
        .then([decided('original-decision-stands')]);
      spec
        .given([...open, closed, requested, decided('original-decision-stands')])
        .when(decide('original-decision-stands'))
        .then([]);
      spec
        .given([...open, closed, requested, decided('original-decision-stands')])
        .when(decide('original-decision-overturned'))
        .thenThrows(CaseCommandRefused, 'already decided');
    });
    it('refuses to decide a review never requested', () =>
      spec
        .given([...open, closed])
        .when(decide('original-decision-overturned'))
        .thenThrows(CaseCommandRefused, 'no Victims'));
    it('reopens for the review only once a review overturned the decision', () => {
      spec
        .given([...open, closed, requested, decided('original-decision-stands')])
        .when(reopen)
        .thenThrows(CaseCommandRefused, 'overturned the decision');
      spec
        .given([...open, closed, requested, decided('original-decision-overturned')])
        .when(reopen)
        .then([{ type: T.CaseReopened, data: { caseId, reason: 'victim-right-to-review', previousOutcomeCode: 14, reopenedAt: at } }]);
    });
  });
});
