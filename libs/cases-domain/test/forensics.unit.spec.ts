import { BASELINE_MODEL, CaseEventTypes as T, type CaseEvent } from '#contracts';
import { caseDecider, CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, extractionId, open, recorded, reportedAt, spec } from './case.fixtures.js';

const scope = { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages' as const] };
const notice = {
  whatIsSought: 'Messages with the suspect, 30 October to 2 November.',
  why: 'They may show the arrangements made.',
  retention: 'Kept while the case is investigated and prosecuted, then as the CPIA code requires.',
  deletion: 'Data outside the scope is deleted once the extraction is complete.',
  mayRefuse: true as const,
  refusalDoesNotEndInvestigation: true as const,
};
const whatAndWhy = { whatIsSought: notice.whatIsSought, why: notice.why };
const requested: CaseEvent = {
  type: T.DeviceExtractionRequested,
  data: { caseId, extractionId, deviceOwner: 'victim', scope, notice, requestedAt: at },
};
const suspectDevice: CaseEvent = { ...requested, data: { ...requested.data, deviceOwner: 'suspect', notice: whatAndWhy } };
const agreed: CaseEvent = { type: T.DeviceExtractionAgreed, data: { caseId, extractionId, agreedAt: at } };
const refused: CaseEvent = { type: T.DeviceExtractionRefused, data: { caseId, extractionId, refusedAt: at } };
const extracted: CaseEvent = { type: T.DeviceExtractionCompleted, data: { caseId, extractionId, completedAt: at } };
const returned: CaseEvent = { type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: at, heldSince: at, retentionDays: 0 } };
const withdrawn: CaseEvent = { type: T.DeviceExtractionAgreementWithdrawn, data: { caseId, extractionId, withdrawnAt: at } };
/** Eleven days and a few hours after `at`. */
const later = '2026-11-14T15:30:00.000Z';

const openState = open.reduce(caseDecider.evolve, caseDecider.initialState);
function refusalOf(run: () => unknown): CaseCommandRefused | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof CaseCommandRefused) return error;
    throw error;
  }
  return undefined;
}

describe('digital forensics', () => {
  describe('request-device-extraction', () => {
    const command: CaseCommand = { kind: 'request-device-extraction', caseId, extractionId, deviceOwner: 'victim', scope, notice, at };
    it('requests an extraction with its scope and the written notice', () => spec.given(open).when(command).then([requested]));
    it('refuses the same extraction twice', () =>
      spec
        .given([...open, requested])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already requested'));
    it('refuses a scope ending before it starts', () =>
      spec
        .given(open)
        .when({ ...command, scope: { ...scope, to: '2026-10-01' } })
        .thenThrows(CaseCommandRefused, 'scope.to cannot be before'));
    it('refuses a scope date that is not a calendar date', () =>
      spec
        .given(open)
        .when({ ...command, scope: { ...scope, from: '2026-02-30' } })
        .thenThrows(CaseCommandRefused, 'scope.from'));
    it('refuses a scope without data categories', () =>
      spec
        .given(open)
        .when({ ...command, scope: { ...scope, dataCategories: [] } })
        .thenThrows(CaseCommandRefused, 'dataCategories'));
    it('refuses a notice that does not say what is sought', () =>
      spec
        .given(open)
        .when({ ...command, notice: { ...notice, whatIsSought: ' ' } })
        .thenThrows(CaseCommandRefused, 'what is sought'));
    it('refuses a notice that does not say why', () =>
      spec
        .given(open)
        .when({ ...command, notice: { ...notice, why: '' } })
        .thenThrows(CaseCommandRefused, 'why'));
    it('refuses before an investigation is open', () =>
      spec.given([recorded]).when(command).thenThrows(CaseCommandRefused, 'no investigation is open'));
    it.each([
      ['retention', { retention: undefined }, 'how long'],
      ['retention', { retention: '  ' }, 'how long'],
      ['deletion', { deletion: undefined }, 'deleted'],
      ['mayRefuse', { mayRefuse: undefined }, 'may refuse'],
      ['mayRefuse', { mayRefuse: false }, 'may refuse'],
      ['refusalDoesNotEndInvestigation', { refusalDoesNotEndInvestigation: false }, 'will not end the investigation'],
    ])("refuses a victim's notice whose %s is missing or not stated (s39(3)), naming the field", (field, change, message) => {
      const when = { ...command, notice: { ...notice, ...change } } as CaseCommand;
      spec.given(open).when(when).thenThrows(CaseCommandRefused, message);
      expect(refusalOf(() => caseDecider.decide(when, openState, BASELINE_MODEL))?.field).toBe(`notice.${field}`);
    });
    it("requests a suspect's seized device with what and why only", () =>
      spec
        .given(open)
        .when({ ...command, deviceOwner: 'suspect', notice: whatAndWhy })
        .then([suspectDevice]));
    it("refuses a suspect's notice that offers a refusal the suspect does not have", () =>
      spec
        .given(open)
        .when({ ...command, deviceOwner: 'suspect', notice: { ...whatAndWhy, mayRefuse: true } })
        .thenThrows(CaseCommandRefused, 'cannot offer a refusal'));
  });

  describe('withdraw-extraction-agreement', () => {
    const command: CaseCommand = { kind: 'withdraw-extraction-agreement', caseId, extractionId, at };
    it('records the withdrawal of an agreement before the extraction completes', () =>
      spec
        .given([...open, requested, agreed])
        .when(command)
        .then([withdrawn]));
    it("records a withdrawal on a closed case (the agreement is the user's)", () =>
      spec
        .given([...open, requested, agreed, closed])
        .when(command)
        .then([withdrawn]));
    it('stops the extraction: completing it is then refused', () =>
      spec
        .given([...open, requested, agreed, withdrawn])
        .when({ kind: 'complete-device-extraction', caseId, extractionId, at })
        .thenThrows(CaseCommandRefused, 'withdrew their agreement'));
    it('refuses once the extraction is complete (nothing left to stop)', () =>
      spec
        .given([...open, requested, agreed, extracted])
        .when(command)
        .thenThrows(CaseCommandRefused, 'no longer stops it'));
    it('refuses after the device is returned', () =>
      spec
        .given([...open, requested, agreed, extracted, returned])
        .when(command)
        .thenThrows(CaseCommandRefused, 'no longer stops it'));
    it('refuses a second withdrawal', () =>
      spec
        .given([...open, requested, agreed, withdrawn])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already withdrawn'));
    it('refuses without an agreement (requested, refused, or a seized device)', () => {
      spec
        .given([...open, requested])
        .when(command)
        .thenThrows(CaseCommandRefused, 'has not agreed');
      spec
        .given([...open, requested, refused])
        .when(command)
        .thenThrows(CaseCommandRefused, 'has not agreed');
      spec
        .given([...open, suspectDevice])
        .when(command)
        .thenThrows(CaseCommandRefused, 'has not agreed');
    });
    it('refuses an unknown extraction', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no device extraction'));
  });

  describe('record-extraction-agreement', () => {
    const command: CaseCommand = { kind: 'record-extraction-agreement', caseId, extractionId, agreed: true, at };
    it('records the device user agreeing', () =>
      spec
        .given([...open, requested])
        .when(command)
        .then([agreed]));
    it('records the device user refusing, and the case stays open', () => {
      spec
        .given([...open, requested])
        .when({ ...command, agreed: false })
        .then([refused]);
      spec
        .given([...open, requested, refused])
        .when({ kind: 'request-early-advice', caseId, at })
        .then([{ type: T.CpsEarlyAdviceRequested, data: { caseId, requestedAt: at } }]);
    });
    it('refuses an unknown extraction', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no device extraction'));
    it('refuses a second answer', () =>
      spec
        .given([...open, requested, refused])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already recorded'));
  });

  describe('complete-device-extraction', () => {
    const command: CaseCommand = { kind: 'complete-device-extraction', caseId, extractionId, at };
    it("completes an extraction the device's user agreed to", () =>
      spec
        .given([...open, requested, agreed])
        .when(command)
        .then([extracted]));
    it("completes the extraction of a suspect's seized device without agreement", () =>
      spec
        .given([...open, suspectDevice])
        .when(command)
        .then([extracted]));
    it('refuses without agreement', () =>
      spec
        .given([...open, requested])
        .when(command)
        .thenThrows(CaseCommandRefused, 'has not agreed'));
    it('refuses after a refusal', () =>
      spec
        .given([...open, requested, refused])
        .when(command)
        .thenThrows(CaseCommandRefused, 'has not agreed'));
    it('refuses a second completion', () =>
      spec
        .given([...open, requested, agreed, extracted])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already completed'));
    it('refuses an unknown extraction', () => spec.given(open).when(command).thenThrows(CaseCommandRefused, 'no device extraction'));
  });

  describe('return-device', () => {
    const command: CaseCommand = { kind: 'return-device', caseId, extractionId, at };
    it('returns an extracted device', () =>
      spec
        .given([...open, requested, agreed, extracted])
        .when(command)
        .then([returned]));
    it('returns a device after the case closed', () =>
      spec
        .given([...open, requested, agreed, extracted, closed])
        .when(command)
        .then([returned]));
    it('refuses a device not extracted', () =>
      spec
        .given([...open, requested, agreed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'not extracted'));
    it('refuses a device already returned', () =>
      spec
        .given([...open, requested, agreed, extracted, returned])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already returned'));
    it('refuses an unknown case', () => spec.given([]).when(command).thenThrows(CaseCommandRefused, 'no such case'));
    it('records whole days held, from the agreement to the return', () =>
      spec
        .given([...open, requested, agreed, extracted])
        .when({ ...command, at: later })
        .then([{ type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: later, heldSince: at, retentionDays: 11 } }]));
    it("counts a seized suspect's device from the request", () =>
      spec
        .given([...open, { ...suspectDevice, data: { ...suspectDevice.data, requestedAt: reportedAt } }, extracted])
        .when({ ...command, at: later })
        .then([{ type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: later, heldSince: reportedAt, retentionDays: 11 } }]));
    it('returns a device once the agreement is withdrawn', () =>
      spec
        .given([...open, requested, agreed, withdrawn])
        .when(command)
        .then([returned]));
    it('refuses a device its user refused to provide', () =>
      spec
        .given([...open, requested, refused])
        .when(command)
        .thenThrows(CaseCommandRefused, 'never provided'));
  });

  describe('the retention days in the case state', () => {
    it('derives them for a return recorded before they were (an old event)', () => {
      const old: CaseEvent = { type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: later } };
      const state = [...open, requested, agreed, extracted, old].reduce(caseDecider.evolve, caseDecider.initialState);
      expect(state.extractions[extractionId]).toEqual({ deviceOwner: 'victim', status: 'returned', heldSince: at, retentionDays: 11 });
    });
  });
});
