import { SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { isCourtOrder, SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const linked = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const reviewId = 'e4a5b6c7-8d9e-4f0a-9b1c-2d3e4f5a6b7c';
const secondReviewId = 'a1a5b6c7-8d9e-4f0a-9b1c-2d3e4f5a6b7c';
const orderId = 'c7e1a2b3-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const breachId = 'f5b6c7d8-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const ids = { caseId, suspectId };
const at = '2026-12-01T10:00:00Z';
const spec = specFor(suspectDecider);

const identified: SuspectEvent = { type: T.SuspectIdentified, data: { ...ids, name: 'Daniel Marsh', identifiedAt: at } };
const flagged: SuspectEvent = {
  type: T.RepeatSuspectFlagRaised,
  data: { ...ids, reason: 'PND match in Wiltshire.', linkedCaseIds: [linked], raisedAt: at },
};
const cleared: SuspectEvent = { type: T.RepeatSuspectFlagCleared, data: { ...ids, reason: 'Different person.', clearedAt: at } };
const reviewed: SuspectEvent = {
  type: T.RepeatSuspectFlagReviewed,
  data: { ...ids, reviewId, summary: 'Escalating.', reviewedAt: '2026-12-02T10:00:00Z' },
};
const decided: SuspectEvent = {
  type: T.DisruptionDecisionRecorded,
  data: { ...ids, reviewId, tactics: ['mappa-referral'], decidedAt: '2026-12-02T11:00:00Z' },
};

describe('repeat suspect: from a match to a review to a disruption decision', () => {
  describe('review-repeat-suspect-flag', () => {
    const command: SuspectCommand = {
      kind: 'review-repeat-suspect-flag',
      ...ids,
      reviewId,
      summary: 'Escalating.',
      at: '2026-12-02T10:00:00Z',
    };
    it('records the review of a flagged suspect', () => spec.given([identified, flagged]).when(command).then([reviewed]));
    it('refuses a review of a suspect not flagged', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'not flagged'));
    it('refuses a review once the flag is cleared', () =>
      spec.given([identified, flagged, cleared]).when(command).thenThrows(SuspectCommandRefused, 'not flagged'));
    it('refuses the same review twice', () =>
      spec.given([identified, flagged, reviewed]).when(command).thenThrows(SuspectCommandRefused, 'already recorded'));
  });

  describe('record-disruption-decision', () => {
    const command: SuspectCommand = {
      kind: 'record-disruption-decision',
      ...ids,
      tactics: ['mappa-referral'],
      at: '2026-12-02T11:00:00Z',
    };
    it('records the tactics chosen on the latest review', () => spec.given([identified, flagged, reviewed]).when(command).then([decided]));
    it('records a decision to use no tactic, with the reason', () =>
      spec
        .given([identified, flagged, reviewed])
        .when({ ...command, tactics: [], reason: 'Already subject to an SHPO from his conviction.' })
        .then([
          {
            type: T.DisruptionDecisionRecorded,
            data: { ...ids, reviewId, tactics: [], reason: 'Already subject to an SHPO from his conviction.', decidedAt: command.at },
          },
        ]));
    it('refuses a decision to use no tactic without a reason', () =>
      spec
        .given([identified, flagged, reviewed])
        .when({ ...command, tactics: [] })
        .thenThrows(SuspectCommandRefused, 'records the reason'));
    it('refuses a tactic named twice', () =>
      spec
        .given([identified, flagged, reviewed])
        .when({ ...command, tactics: ['mappa-referral', 'mappa-referral'] })
        .thenThrows(SuspectCommandRefused, 'named twice'));
    it('refuses a decision without a review of the flag', () =>
      spec.given([identified, flagged]).when(command).thenThrows(SuspectCommandRefused, 'follows a review'));
    it('refuses a decision on a review of a flag since cleared and raised again', () =>
      spec.given([identified, flagged, reviewed, cleared, flagged]).when(command).thenThrows(SuspectCommandRefused, 'follows a review'));
    it('refuses a decision for a suspect not flagged', () =>
      spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'not flagged'));
    it('refuses a second decision on the same review', () =>
      spec.given([identified, flagged, reviewed, decided]).when(command).thenThrows(SuspectCommandRefused, 'review again first'));
    it('decides again after a new review', () =>
      spec
        .given([identified, flagged, reviewed, decided, { ...reviewed, data: { ...reviewed.data, reviewId: secondReviewId } }])
        .when({ ...command, tactics: ['stalking-protection-order'] })
        .then([
          {
            type: T.DisruptionDecisionRecorded,
            data: { ...ids, reviewId: secondReviewId, tactics: ['stalking-protection-order'], decidedAt: command.at },
          },
        ]));
  });

  it('tells court orders from police actions', () => {
    expect(isCourtOrder('domestic-abuse-protection-order')).toBe(true);
    expect(isCourtOrder('interim-stalking-protection-order')).toBe(true);
    expect(isCourtOrder('sexual-harm-prevention-order')).toBe(true);
    expect(isCourtOrder('domestic-abuse-protection-notice')).toBe(false);
    expect(isCourtOrder('clares-law-right-to-know-disclosure')).toBe(false);
    expect(isCourtOrder('visor-nominal-record')).toBe(false);
  });
});

describe('the wider tactics', () => {
  it('records a DAPN authorised by an inspector (DAA 2021 s22)', () =>
    spec
      .given([identified])
      .when({
        kind: 'record-disruption-tactic',
        ...ids,
        tactic: 'domestic-abuse-protection-notice',
        authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
        at,
      })
      .then([
        {
          type: T.DisruptionTacticRecorded,
          data: {
            ...ids,
            tactic: 'domestic-abuse-protection-notice',
            authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
            recordedAt: at,
          },
        },
      ]));
  it('refuses a DAPN authorised by a sergeant', () =>
    spec
      .given([identified])
      .when({
        kind: 'record-disruption-tactic',
        ...ids,
        tactic: 'domestic-abuse-protection-notice',
        authorisedBy: { officerId: 'AS-3307', rank: 'sergeant' },
        at,
      })
      .thenThrows(SuspectCommandRefused, 'inspector or above'));
  it('refuses a DAPN with no authorising officer', () =>
    spec
      .given([identified])
      .when({ kind: 'record-disruption-tactic', ...ids, tactic: 'domestic-abuse-protection-notice', at })
      .thenThrows(SuspectCommandRefused, 'inspector or above'));
  it('records a Clare’s Law disclosure (right to know) without a rank', () =>
    spec
      .given([identified])
      .when({ kind: 'record-disruption-tactic', ...ids, tactic: 'clares-law-right-to-know-disclosure', at })
      .then([{ type: T.DisruptionTacticRecorded, data: { ...ids, tactic: 'clares-law-right-to-know-disclosure', recordedAt: at } }]));
  it('refuses a stalking protection order granted for less than 2 years (SPA 2019 s3)', () =>
    spec
      .given([
        identified,
        { type: T.CivilOrderAppliedFor, data: { ...ids, orderId, order: 'stalking-protection-order', court: 'Bristol', appliedAt: at } },
      ])
      .when({ kind: 'record-civil-order-granted', ...ids, orderId, expiresOn: '2028-11-29', at })
      .thenThrows(SuspectCommandRefused, 'lasts at least 2 years: to 2028-11-30 or later'));
  it('grants a DAPO for any period, but not one ending before its grant', () => {
    const applied: SuspectEvent = {
      type: T.CivilOrderAppliedFor,
      data: { ...ids, orderId, order: 'domestic-abuse-protection-order', court: 'Bristol', appliedAt: at },
    };
    spec
      .given([identified, applied])
      .when({ kind: 'record-civil-order-granted', ...ids, orderId, expiresOn: '2027-03-01', at })
      .then([
        {
          type: T.CivilOrderGranted,
          data: { ...ids, orderId, order: 'domestic-abuse-protection-order', expiresOn: '2027-03-01', grantedAt: at },
        },
      ]);
    spec
      .given([identified, applied])
      .when({ kind: 'record-civil-order-granted', ...ids, orderId, expiresOn: '2026-11-30', at })
      .thenThrows(SuspectCommandRefused, 'cannot end before the day it is granted');
  });
});

describe('record-civil-order-breach', () => {
  const grantedAt = '2026-12-15T11:30:00Z';
  const applied: SuspectEvent = {
    type: T.CivilOrderAppliedFor,
    data: { ...ids, orderId, order: 'stalking-protection-order', court: 'Bristol', appliedAt: at },
  };
  const granted: SuspectEvent = {
    type: T.CivilOrderGranted,
    data: { ...ids, orderId, order: 'stalking-protection-order', expiresOn: '2028-12-15', grantedAt },
  };
  const command: SuspectCommand = {
    kind: 'record-civil-order-breach',
    ...ids,
    breachId,
    orderId,
    breachedAt: '2027-01-20T21:00:00Z',
    response: 'arrested',
    at: '2027-01-21T08:00:00Z',
  };
  const breached: SuspectEvent = {
    type: T.CivilOrderBreached,
    data: {
      ...ids,
      breachId,
      orderId,
      order: 'stalking-protection-order',
      breachedAt: '2027-01-20T21:00:00Z',
      response: 'arrested',
      recordedAt: '2027-01-21T08:00:00Z',
    },
  };
  it('records a breach of an order in force and the response', () =>
    spec.given([identified, applied, granted]).when(command).then([breached]));
  it('records a breach on the last day of the order, UK time', () =>
    spec
      .given([identified, applied, granted])
      .when({ ...command, breachedAt: '2028-12-15T23:30:00Z', at: '2028-12-16T08:00:00Z' })
      .then([{ ...breached, data: { ...breached.data, breachedAt: '2028-12-15T23:30:00Z', recordedAt: '2028-12-16T08:00:00Z' } }]));
  it('refuses a breach after the order ended', () =>
    spec
      .given([identified, applied, granted])
      .when({ ...command, breachedAt: '2028-12-16T00:30:00Z', at: '2028-12-16T08:00:00Z' })
      .thenThrows(SuspectCommandRefused, 'ended on 2028-12-15'));
  it('refuses a breach before the order was granted', () =>
    spec
      .given([identified, applied, granted])
      .when({ ...command, breachedAt: '2026-12-14T21:00:00Z' })
      .thenThrows(SuspectCommandRefused, 'after the breach'));
  it('refuses a breach of an order still awaiting the court', () =>
    spec.given([identified, applied]).when(command).thenThrows(SuspectCommandRefused, 'was not granted (pending)'));
  it('refuses a breach of a refused order', () =>
    spec
      .given([
        identified,
        applied,
        { type: T.CivilOrderRefused, data: { ...ids, orderId, order: 'stalking-protection-order', refusedAt: grantedAt } },
      ])
      .when(command)
      .thenThrows(SuspectCommandRefused, 'was not granted (refused)'));
  it('refuses a breach of an unknown order', () =>
    spec.given([identified]).when(command).thenThrows(SuspectCommandRefused, 'no civil order'));
  it('refuses a breach recorded before it happened', () =>
    spec
      .given([identified, applied, granted])
      .when({ ...command, at: '2027-01-20T20:00:00Z' })
      .thenThrows(SuspectCommandRefused, 'must not be after the breach is recorded'));
  it('refuses the same breach twice', () =>
    spec.given([identified, applied, granted, breached]).when(command).thenThrows(SuspectCommandRefused, 'already recorded'));
  it('records a breach of an order until further order, years on', () =>
    spec
      .given([identified, applied, { ...granted, data: { ...ids, orderId, order: 'stalking-protection-order', grantedAt } }])
      .when({ ...command, breachedAt: '2035-01-20T21:00:00Z', at: '2035-01-21T08:00:00Z', response: 'charged' })
      .then([
        {
          ...breached,
          data: { ...breached.data, breachedAt: '2035-01-20T21:00:00Z', recordedAt: '2035-01-21T08:00:00Z', response: 'charged' },
        },
      ]));
});
