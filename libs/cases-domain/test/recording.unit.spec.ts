import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, cancelled, caseId, crime, closed, open, opened, recorded, reported, reportedAt, spec } from './case.fixtures.js';

describe('report, crime recording and cancellation', () => {
  describe('receive-report', () => {
    const command: CaseCommand = { kind: 'receive-report', caseId, n100Reference: 'AS/N100/26/00871', reportedAt, at: reportedAt };
    it('logs a report as an N100 incident', () => spec.given([]).when(command).then([reported]));
    it('refuses an existing case', () => spec.given([reported]).when(command).thenThrows(CaseCommandRefused, 'already exists'));
    it('refuses a malformed incident reference', () =>
      spec
        .given([])
        .when({ ...command, n100Reference: 'n100 #1' })
        .thenThrows(CaseCommandRefused, 'n100Reference'));
  });

  describe('record-crime', () => {
    const direct: CaseCommand = {
      kind: 'record-crime',
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      reportedAt,
      at,
    };
    it('records a crime directly, classified by the code its group determines', () => spec.given([]).when(direct).then([recorded]));
    it('records the crime from the N100 report, which says when it was reported', () => {
      const fromReport: CaseEvent = { type: T.CrimeRecorded, data: { ...crime, n100Reference: 'AS/N100/26/00871' } };
      spec
        .given([reported])
        .when({ ...direct, reportedAt: undefined })
        .then([fromReport]);
    });
    it('records the code given for a group spanning several', () =>
      spec
        .given([])
        .when({ ...direct, offence: 'sexual-assault', offenceCode: '20A' })
        .then([{ type: T.CrimeRecorded, data: { ...crime, offence: 'sexual-assault', offenceCode: '20A' } }]));
    it('refuses a group spanning several codes without one', () =>
      spec
        .given([])
        .when({ ...direct, offence: 'sexual-assault' })
        .thenThrows(CaseCommandRefused, 'offenceCode is required'));
    it('refuses a code of another group', () =>
      spec
        .given([])
        .when({ ...direct, offenceCode: '20A' })
        .thenThrows(CaseCommandRefused, 'not a Home Office code of'));
    it('refuses to record the same case twice', () =>
      spec.given([recorded]).when(direct).thenThrows(CaseCommandRefused, 'already recorded'));
    it('refuses a cancelled report', () =>
      spec
        .given([reported, { type: T.RecordingCancelled, data: { caseId, stage: 'report', reason: 'duplicate-record', cancelledAt: at } }])
        .when(direct)
        .thenThrows(CaseCommandRefused, 'cancelled'));
    it('refuses a direct recording without reportedAt', () =>
      spec
        .given([])
        .when({ ...direct, reportedAt: undefined })
        .thenThrows(CaseCommandRefused, 'reportedAt is required'));
    it('refuses a report after the recording', () =>
      spec
        .given([])
        .when({ ...direct, reportedAt: '2026-11-04T00:00:00Z' })
        .thenThrows(CaseCommandRefused, 'after the recording'));
    it('refuses a malformed crime reference', () =>
      spec
        .given([])
        .when({ ...direct, crimeReference: 'as 1' })
        .thenThrows(CaseCommandRefused, 'crimeReference'));
  });

  describe('cancel-recording', () => {
    const command: CaseCommand = { kind: 'cancel-recording', caseId, reason: 'duplicate-record', at };
    it('cancels a recorded crime', () => spec.given([recorded]).when(command).then([cancelled]));
    it('cancels a crime under investigation', () => spec.given(open).when(command).then([cancelled]));
    it('closes an N100 report without a crime', () =>
      spec
        .given([reported])
        .when({ ...command, reason: 'transferred-to-another-force' })
        .then([
          { type: T.RecordingCancelled, data: { caseId, stage: 'report', reason: 'transferred-to-another-force', cancelledAt: at } },
        ]));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('refuses a second cancellation', () =>
      spec.given([recorded, cancelled]).when(command).thenThrows(CaseCommandRefused, 'already cancelled'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('open-investigation', () => {
    const command: CaseCommand = { kind: 'open-investigation', caseId, at };
    it('opens an investigation on a recorded crime', () => spec.given([recorded]).when(command).then([opened]));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('refuses a report not yet recorded as a crime', () =>
      spec.given([reported]).when(command).thenThrows(CaseCommandRefused, 'not recorded as a crime'));
    it('refuses a cancelled recording', () => spec.given([recorded, cancelled]).when(command).thenThrows(CaseCommandRefused, 'cancelled'));
    it('refuses a second open', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'already open'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });

  describe('decide-not-to-investigate', () => {
    const command: CaseCommand = {
      kind: 'decide-not-to-investigate',
      caseId,
      reason: 'victim-does-not-want-investigation',
      decidedBy: 'AS-9',
      explanation: 'The victim asked for the report to be kept on record without an investigation.',
      at,
    };
    const decided: CaseEvent = {
      type: T.DecidedNotToInvestigate,
      data: {
        caseId,
        reason: 'victim-does-not-want-investigation',
        decidedBy: 'AS-9',
        explanation: 'The victim asked for the report to be kept on record without an investigation.',
        decidedAt: at,
      },
    };
    it('records the decision on a recorded crime with no investigation open', () => spec.given([recorded]).when(command).then([decided]));
    it('refuses it twice', () => spec.given([recorded, decided]).when(command).thenThrows(CaseCommandRefused, 'already recorded'));
    it('lets an investigation be opened after all, which ends the decision', () => {
      spec.given([recorded, decided]).when({ kind: 'open-investigation', caseId, at }).then([opened]);
      spec.given([recorded, decided, opened]).when(command).thenThrows(CaseCommandRefused, 'investigation is open');
    });
    it('refuses a report not recorded, a cancelled recording and a closed case', () => {
      spec.given([reported]).when(command).thenThrows(CaseCommandRefused, 'not recorded as a crime');
      spec.given([recorded, cancelled]).when(command).thenThrows(CaseCommandRefused, 'cancelled');
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed');
    });
  });
});
