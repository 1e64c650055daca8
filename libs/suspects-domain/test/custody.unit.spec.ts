import { SuspectEventTypes as T, type SuspectEvent } from '#contracts';
import { specFor } from '#testing';
import { SuspectCommandRefused, suspectDecider, type SuspectCommand } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const suspectId = '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f';
const ids = { caseId, suspectId };
const arrestedAt = '2026-11-05T06:45:00Z';
const at = '2026-11-05T13:10:00Z';
const spec = specFor(suspectDecider);

const identified: SuspectEvent = { type: T.SuspectIdentified, data: { ...ids, name: 'Daniel Marsh', identifiedAt: at } };
const arrested: SuspectEvent = {
  type: T.SuspectArrested,
  data: { ...ids, arrestedAt, custodyClockStartedAt: '2026-11-05T07:20:00Z' },
};
const bailed: SuspectEvent = {
  type: T.PreChargeBailGranted,
  data: {
    ...ids,
    bailStartDate: '2026-11-06',
    bailEndsOn: '2027-02-05',
    authorisedBy: { officerId: 'AS-3307', rank: 'sergeant' },
    conditions: [],
    victimViewsSought: false,
    bailedAt: at,
  },
};
const rui: SuspectEvent = { type: T.ReleasedUnderInvestigation, data: { ...ids, releasedAt: at } };
const nfa: SuspectEvent = { type: T.ReleasedNoFurtherAction, data: { ...ids, decidedBy: 'police', releasedAt: at } };
const charged: SuspectEvent = { type: T.SuspectCharged, data: { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: at } };
const scheduledFor = '2026-11-12T10:00:00Z';
const arranged: SuspectEvent = { type: T.VoluntaryInterviewArranged, data: { ...ids, scheduledFor, arrangedAt: at } };

describe('arrest, interview and release', () => {
  describe('arrest-suspect', () => {
    const command: SuspectCommand = { kind: 'arrest-suspect', ...ids, custodyClockStartedAt: '2026-11-05T07:20:00Z', at: arrestedAt };
    it('arrests an identified suspect and starts the custody clock', () => spec.given([identified]).when(command).then([arrested]));
    it.each([
      ['on bail (PACE s46A)', [arrested, bailed]],
      ['released under investigation', [arrested, rui]],
      ['after no further action, on new evidence', [nfa]],
      ['with a voluntary interview arranged', [arranged]],
    ])('re-arrests a suspect %s', (_when, history) =>
      spec
        .given([identified, ...history])
        .when(command)
        .then([arrested]),
    );
    it('refuses a suspect already in custody', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'already in custody'));
    it('refuses a suspect already charged', () =>
      spec.given([identified, charged]).when(command).thenThrows(SuspectCommandRefused, 'already been charged'));
    it('refuses a custody clock started before the arrest', () =>
      spec
        .given([identified])
        .when({ ...command, custodyClockStartedAt: '2026-11-05T06:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'cannot be before the arrest'));
    it('refuses a time without an offset', () =>
      spec
        .given([identified])
        .when({ ...command, at: '2026-11-05T06:45:00' })
        .thenThrows(SuspectCommandRefused, 'with an offset'));
  });

  describe('arrange-voluntary-interview', () => {
    const command: SuspectCommand = { kind: 'arrange-voluntary-interview', ...ids, scheduledFor, at };
    it('arranges a voluntary interview', () => spec.given([identified]).when(command).then([arranged]));
    it('reschedules an arranged interview', () =>
      spec
        .given([identified, arranged])
        .when({ ...command, scheduledFor: '2026-11-19T10:00:00Z' })
        .then([{ type: T.VoluntaryInterviewArranged, data: { ...ids, scheduledFor: '2026-11-19T10:00:00Z', arrangedAt: at } }]));
    it('records nothing when the same appointment is arranged again', () => spec.given([identified, arranged]).when(command).then([]));
    it('refuses a suspect in custody', () =>
      spec.given([identified, arrested]).when(command).thenThrows(SuspectCommandRefused, 'in custody'));
    it('refuses a suspect already charged', () =>
      spec.given([identified, charged]).when(command).thenThrows(SuspectCommandRefused, 'already been charged'));
    it('refuses an appointment before it was arranged', () =>
      spec
        .given([identified])
        .when({ ...command, scheduledFor: '2026-11-01T10:00:00Z' })
        .thenThrows(SuspectCommandRefused, 'before the interview was arranged'));
  });

  describe('record-interview', () => {
    const inCustody: SuspectCommand = { kind: 'record-interview', ...ids, setting: 'custody', response: 'prepared-statement', at };
    const voluntary: SuspectCommand = { ...inCustody, setting: 'voluntary', response: 'account-given' };
    const heldVoluntarily: SuspectEvent = {
      type: T.SuspectInterviewed,
      data: { ...ids, setting: 'voluntary', response: 'account-given', interviewedAt: at },
    };
    it('records an interview in custody', () =>
      spec
        .given([identified, arrested])
        .when(inCustody)
        .then([{ type: T.SuspectInterviewed, data: { ...ids, setting: 'custody', response: 'prepared-statement', interviewedAt: at } }]));
    it('records a voluntary interview that was arranged', () => spec.given([identified, arranged]).when(voluntary).then([heldVoluntarily]));
    it('refuses an interview in custody when the suspect is not in custody', () =>
      spec.given([identified, arrested, rui]).when(inCustody).thenThrows(SuspectCommandRefused, 'not in custody'));
    it('refuses a voluntary interview that was not arranged', () =>
      spec.given([identified]).when(voluntary).thenThrows(SuspectCommandRefused, 'no voluntary interview is arranged'));
    it('refuses a second voluntary interview on one arrangement', () =>
      spec.given([identified, arranged, heldVoluntarily]).when(voluntary).thenThrows(SuspectCommandRefused, 'no voluntary interview'));
    it('refuses an interview after charge', () =>
      spec.given([identified, arrested, charged]).when(inCustody).thenThrows(SuspectCommandRefused, 'already been charged'));
  });

  describe('release-under-investigation', () => {
    const command: SuspectCommand = { kind: 'release-under-investigation', ...ids, at };
    it('releases a suspect from custody under investigation', () => spec.given([identified, arrested]).when(command).then([rui]));
    it('releases a bailed suspect under investigation', () => spec.given([identified, arrested, bailed]).when(command).then([rui]));
    it.each([
      ['never arrested', []],
      ['already released under investigation', [arrested, rui]],
    ])('refuses a suspect %s', (_why, history) =>
      spec
        .given([identified, ...history])
        .when(command)
        .thenThrows(SuspectCommandRefused, 'in custody or on bail'),
    );
    it('refuses a suspect already charged', () =>
      spec.given([identified, arrested, charged]).when(command).thenThrows(SuspectCommandRefused, 'already been charged'));
  });

  describe('release-no-further-action', () => {
    const command: SuspectCommand = { kind: 'release-no-further-action', ...ids, decidedBy: 'police', at };
    it.each([
      ['in custody', [arrested]],
      ['on bail', [arrested, bailed]],
      ['released under investigation', [arrested, rui]],
      ['interviewed voluntarily', [arranged]],
    ])('takes no further action against a suspect %s', (_where, history) =>
      spec
        .given([identified, ...history])
        .when(command)
        .then([nfa]),
    );
    it('records a CPS decision', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, decidedBy: 'cps' })
        .then([{ type: T.ReleasedNoFurtherAction, data: { ...ids, decidedBy: 'cps', releasedAt: at } }]));
    it('refuses when no further action is already recorded', () =>
      spec.given([identified, nfa]).when(command).thenThrows(SuspectCommandRefused, 'already been recorded'));
    it('refuses a suspect already charged', () =>
      spec.given([identified, charged]).when(command).thenThrows(SuspectCommandRefused, 'already been charged'));
  });

  describe('charge-suspect', () => {
    const command: SuspectCommand = { kind: 'charge-suspect', ...ids, cpsDecisionReference: '52AS0421126', at };
    it('charges a suspect on a CPS decision', () => spec.given([identified, arrested]).when(command).then([charged]));
    it('charges after no further action was overturned on review', () =>
      spec.given([identified, arrested, nfa]).when(command).then([charged]));
    it('refuses to charge a suspect already charged', () =>
      spec.given([identified, arrested, charged]).when(command).thenThrows(SuspectCommandRefused, 'already been charged'));
    it('refuses a malformed CPS reference', () =>
      spec
        .given([identified, arrested])
        .when({ ...command, cpsDecisionReference: 'cps ref?' })
        .thenThrows(SuspectCommandRefused, 'not a CPS decision reference'));
  });
});
