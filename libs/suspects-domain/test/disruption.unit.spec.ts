import { SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const orderId = 'c7e1a2b3-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const secondOrderId = 'd8f2b3c4-5e6f-4a71-9b0c-1d2e3f4a5b6c';
const ids = { caseId, suspectId };
const at = '2026-12-01T10:00:00Z';
const decidedAt = '2026-12-15T11:30:00Z';
const court = "Bristol Magistrates' Court";
const spec = specFor(suspectDecider);

const identified: SuspectEvent = { type: T.SuspectIdentified, data: { ...ids, name: 'Daniel Marsh', identifiedAt: at } };
const applied: SuspectEvent = {
  type: T.CivilOrderAppliedFor,
  data: { ...ids, orderId, order: 'sexual-risk-order', court, appliedAt: at },
};
const refused: SuspectEvent = {
  type: T.CivilOrderRefused,
  data: { ...ids, orderId, order: 'sexual-risk-order', refusedAt: decidedAt },
};
const granted: SuspectEvent = {
  type: T.CivilOrderGranted,
  data: { ...ids, orderId, order: 'sexual-risk-order', expiresOn: '2028-12-14', grantedAt: decidedAt },
};

describe('disruption of the suspect', () => {
  describe('record-disruption-tactic', () => {
    it('records a tactic with its detail', () =>
      spec
        .given([identified])
        .when({ kind: 'record-disruption-tactic', ...ids, tactic: 'offender-management', detail: 'Adopted onto IOM.', at })
        .then([
          {
            type: T.DisruptionTacticRecorded,
            data: { ...ids, tactic: 'offender-management', detail: 'Adopted onto IOM.', recordedAt: at },
          },
        ]));
    it('records a tactic without detail', () =>
      spec
        .given([identified])
        .when({ kind: 'record-disruption-tactic', ...ids, tactic: 'child-abduction-warning-notice', at })
        .then([{ type: T.DisruptionTacticRecorded, data: { ...ids, tactic: 'child-abduction-warning-notice', recordedAt: at } }]));
  });

  describe('apply-for-civil-order', () => {
    const command: SuspectCommand = { kind: 'apply-for-civil-order', ...ids, orderId, order: 'sexual-risk-order', court, at };
    it('applies for a Sexual Risk Order', () => spec.given([identified]).when(command).then([applied]));
    it('applies for another kind of order while one is pending', () =>
      spec
        .given([identified, applied])
        .when({ ...command, orderId: secondOrderId, order: 'sexual-harm-prevention-order' })
        .then([
          {
            type: T.CivilOrderAppliedFor,
            data: { ...ids, orderId: secondOrderId, order: 'sexual-harm-prevention-order', court, appliedAt: at },
          },
        ]));
    it('applies again after a refusal', () =>
      spec
        .given([identified, applied, refused])
        .when({ ...command, orderId: secondOrderId })
        .then([
          { type: T.CivilOrderAppliedFor, data: { ...ids, orderId: secondOrderId, order: 'sexual-risk-order', court, appliedAt: at } },
        ]));
    it('refuses an application id already recorded', () =>
      spec.given([identified, applied, refused]).when(command).thenThrows(SuspectCommandRefused, 'already recorded'));
    it('refuses a second pending application for the same order', () =>
      spec
        .given([identified, applied])
        .when({ ...command, orderId: secondOrderId })
        .thenThrows(SuspectCommandRefused, 'already awaiting the court'));
  });

  describe('record-civil-order-granted', () => {
    const command: SuspectCommand = { kind: 'record-civil-order-granted', ...ids, orderId, expiresOn: '2028-12-14', at: decidedAt };
    it('records an order granted for its minimum term', () => spec.given([identified, applied]).when(command).then([granted]));
    it('records an order granted until further order', () =>
      spec
        .given([identified, applied])
        .when({ kind: 'record-civil-order-granted', ...ids, orderId, at: decidedAt })
        .then([{ type: T.CivilOrderGranted, data: { ...ids, orderId, order: 'sexual-risk-order', grantedAt: decidedAt } }]));
    it('refuses a Sexual Risk Order shorter than 2 years', () =>
      spec
        .given([identified, applied])
        .when({ ...command, expiresOn: '2028-12-13' })
        .thenThrows(SuspectCommandRefused, 'a sexual-risk-order lasts at least 2 years: to 2028-12-14 or later'));
    it('refuses a Sexual Harm Prevention Order shorter than 5 years', () =>
      spec
        .given([identified, { ...applied, data: { ...applied.data, order: 'sexual-harm-prevention-order' } }])
        .when({ ...command, expiresOn: '2031-12-13' })
        .thenThrows(SuspectCommandRefused, 'lasts at least 5 years: to 2031-12-14 or later'));
    it('refuses an unknown application', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'no civil order application'));
    it('refuses an application already decided', () =>
      spec.given([identified, applied, refused]).when(command).thenThrows(SuspectCommandRefused, 'already decided'));
    it('refuses an expiry that is not a calendar date', () =>
      spec
        .given([identified, applied])
        .when({ ...command, expiresOn: '2028-13-01' })
        .thenThrows(SuspectCommandRefused, 'calendar date'));
  });

  describe('record-civil-order-refused', () => {
    const command: SuspectCommand = { kind: 'record-civil-order-refused', ...ids, orderId, at: decidedAt };
    it('records the court refusing the order', () => spec.given([identified, applied]).when(command).then([refused]));
    it('refuses an unknown application', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'no civil order application'));
    it('refuses an application already decided', () =>
      spec.given([identified, applied, granted]).when(command).thenThrows(SuspectCommandRefused, 'already decided'));
  });
});
