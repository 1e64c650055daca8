import { CaseEventTypes as T, type CaseEvent } from '#contracts';
import { CaseCommandRefused, type CaseCommand } from '../src/index.js';
import { at, caseId, closed, extractionId, open, recorded, spec } from './case.fixtures.js';

const scope = { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages' as const] };
const notice = { whatIsSought: 'Messages with the suspect, 30 October to 2 November.', why: 'They may show the arrangements made.' };
const requested: CaseEvent = {
  type: T.DeviceExtractionRequested,
  data: { caseId, extractionId, deviceOwner: 'victim', scope, notice, requestedAt: at },
};
const suspectDevice: CaseEvent = { ...requested, data: { ...requested.data, deviceOwner: 'suspect' } };
const agreed: CaseEvent = { type: T.DeviceExtractionAgreed, data: { caseId, extractionId, agreedAt: at } };
const refused: CaseEvent = { type: T.DeviceExtractionRefused, data: { caseId, extractionId, refusedAt: at } };
const extracted: CaseEvent = { type: T.DeviceExtractionCompleted, data: { caseId, extractionId, completedAt: at } };
const returned: CaseEvent = { type: T.DeviceReturned, data: { caseId, extractionId, returnedAt: at } };

describe('digital forensics and third-party material', () => {
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
  });

  describe('request-third-party-material', () => {
    const requestId = 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e';
    const command: CaseCommand = { kind: 'request-third-party-material', caseId, requestId, holder: 'counselling', at };
    const made: CaseEvent = { type: T.ThirdPartyMaterialRequested, data: { caseId, requestId, holder: 'counselling', requestedAt: at } };
    it('requests material from a third party', () => spec.given(open).when(command).then([made]));
    it('refuses the same request twice', () =>
      spec
        .given([...open, made])
        .when(command)
        .thenThrows(CaseCommandRefused, 'already made'));
    it('refuses a closed case', () =>
      spec
        .given([...open, closed])
        .when(command)
        .thenThrows(CaseCommandRefused, 'closed'));
  });
});
