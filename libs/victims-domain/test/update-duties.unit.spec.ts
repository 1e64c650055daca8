import { BASELINE_MODEL, VictimEventTypes as T, type VictimEvent } from '#contracts';
import { specFor } from '#testing';
import { VictimCommandRefused, openDuties, victimDecider, type VictimCommand, type VictimState } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const victimId = '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';
const arrestId = '5d8e2f10-3c4b-4a69-9e7f-0a1b2c3d4e5f';
const bailId = '6e9f3a21-4d5c-4b7a-8f80-1b2c3d4e5f60';
const ids = { caseId, victimId };
const spec = specFor<VictimCommand, VictimEvent, VictimState>(victimDecider);

const contacted: VictimEvent = {
  type: T.FirstContactMade,
  data: { ...ids, offence: 'sexual-assault', officerId: 'AS-4471', channel: 'phone', madeAt: '2026-11-03T10:00:00Z' },
};
const enhanced: VictimEvent = {
  type: T.EnhancedRightsRecorded,
  data: { ...ids, categories: ['most-serious-crime'], source: 'offence-rule', recordedAt: '2026-11-03T10:00:00Z' },
};
// Arrest on Monday 16 November 2026: 5 working days runs to the end of Monday 23 November (GMT).
const arrestDuty: VictimEvent = {
  type: T.UpdateDutyOpened,
  data: {
    ...ids,
    trigger: 'suspect-arrested',
    triggerEventId: arrestId,
    triggeredAt: '2026-11-16T09:00:00Z',
    enhancedRights: false,
    workingDays: 5,
    dueDate: '2026-11-23',
    dueBy: '2026-11-23T23:59:59.999Z',
  },
};
// Bail on Friday 20 November 2026: due by the end of Friday 27 November.
const bailDuty: VictimEvent = {
  type: T.UpdateDutyOpened,
  data: {
    ...ids,
    trigger: 'suspect-bailed',
    triggerEventId: bailId,
    triggeredAt: '2026-11-20T16:00:00Z',
    enhancedRights: false,
    workingDays: 5,
    dueDate: '2026-11-27',
    dueBy: '2026-11-27T23:59:59.999Z',
  },
};
const arrestMissed: VictimEvent = {
  type: T.UpdateDeadlineMissed,
  data: {
    ...ids,
    triggerEventId: arrestId,
    trigger: 'suspect-arrested',
    dueBy: '2026-11-23T23:59:59.999Z',
    detectedAt: '2026-11-24T00:00:05Z',
  },
};
const given = (givenAt: string): VictimEvent => ({
  type: T.UpdateGiven,
  data: { ...ids, about: 'suspect-arrested', channel: 'phone', triggerEventId: arrestId, givenAt },
});
const met = (metAt: string, onTime: boolean): VictimEvent => ({
  type: T.UpdateDutyMet,
  data: { ...ids, triggerEventId: arrestId, dueBy: '2026-11-23T23:59:59.999Z', metAt, onTime },
});
const closed = (triggerEventId: string, closedAt: string): VictimEvent => ({
  type: T.UpdateDutyClosed,
  data: { ...ids, triggerEventId, reason: 'case-outcome-recorded', closedAt },
});

describe("Victims' Code update duties", () => {
  describe('open-update-duty', () => {
    const command: VictimCommand = {
      kind: 'open-update-duty',
      ...ids,
      trigger: 'suspect-arrested',
      triggerEventId: arrestId,
      at: '2026-11-16T09:00:00Z',
    };
    it('opens a 5 working day duty', () => spec.given([contacted]).when(command).then([arrestDuty]));
    it('opens a 1 working day duty under enhanced rights, in BST to 22:59:59.999 UTC', () =>
      spec
        .given([contacted, enhanced])
        .when({ ...command, at: '2026-06-04T23:30:00Z' }) // 00:30 BST on Friday 5 June
        .then([
          {
            type: T.UpdateDutyOpened,
            data: {
              ...ids,
              trigger: 'suspect-arrested',
              triggerEventId: arrestId,
              triggeredAt: '2026-06-04T23:30:00Z',
              enhancedRights: true,
              workingDays: 1,
              dueDate: '2026-06-08',
              dueBy: '2026-06-08T22:59:59.999Z',
            },
          },
        ]));
    describe('under another version of the operating model (ADR 0043)', () => {
      const versioned = {
        version: '2027.1',
        rules: { ...BASELINE_MODEL.rules, victimUpdateDeadline: { standardWorkingDays: 3, enhancedWorkingDays: 1 } },
      };
      it('takes the deadline from the model in force (3 working days: Thursday 19th)', () => {
        const events = victimDecider.decide(command, [contacted].reduce(victimDecider.evolve, victimDecider.initialState), versioned);
        expect(events).toEqual([
          { ...arrestDuty, data: { ...arrestDuty.data, workingDays: 3, dueDate: '2026-11-19', dueBy: '2026-11-19T23:59:59.999Z' } },
        ]);
      });
    });
    it('opens nothing for a trigger already seen (at-least-once delivery)', () =>
      spec.given([contacted, arrestDuty]).when(command).then([]));
    it('refuses a trigger time without a zone', () =>
      spec
        .given([contacted])
        .when({ ...command, at: '2026-11-16 09:00' })
        .thenThrows(VictimCommandRefused, 'ISO 8601 instant'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('give-update', () => {
    const command: VictimCommand = {
      kind: 'give-update',
      ...ids,
      about: 'suspect-arrested',
      channel: 'phone',
      triggerEventId: arrestId,
      at: '2026-11-18T18:30:00Z',
    };
    it('records an update that answers no duty', () =>
      spec
        .given([contacted, arrestDuty])
        .when({
          kind: 'give-update',
          ...ids,
          about: 'investigation-progress',
          channel: 'phone',
          summary: 'Phone examined.',
          at: '2026-11-18T18:30:00Z',
        })
        .then([
          {
            type: T.UpdateGiven,
            data: {
              ...ids,
              about: 'investigation-progress',
              channel: 'phone',
              summary: 'Phone examined.',
              givenAt: '2026-11-18T18:30:00Z',
            },
          },
        ]));
    it('meets the duty on time', () =>
      spec
        .given([contacted, arrestDuty])
        .when(command)
        .then([given('2026-11-18T18:30:00Z'), met('2026-11-18T18:30:00Z', true)]));
    it('meets the duty on time in the last millisecond of the last day', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, at: '2026-11-23T23:59:59.999Z' })
        .then([given('2026-11-23T23:59:59.999Z'), met('2026-11-23T23:59:59.999Z', true)]));
    it('meets the duty late after the deadline', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, at: '2026-11-24T00:00:00Z' })
        .then([given('2026-11-24T00:00:00Z'), met('2026-11-24T00:00:00Z', false)]));
    it('meets the duty late after its miss was recorded', () =>
      spec
        .given([contacted, arrestDuty, arrestMissed])
        .when({ ...command, at: '2026-11-25T10:00:00Z' })
        .then([given('2026-11-25T10:00:00Z'), met('2026-11-25T10:00:00Z', false)]));
    it('records a further update on a duty already met, without meeting it again', () =>
      spec
        .given([contacted, arrestDuty, given('2026-11-18T18:30:00Z'), met('2026-11-18T18:30:00Z', true)])
        .when({ ...command, at: '2026-11-19T10:00:00Z' })
        .then([given('2026-11-19T10:00:00Z')]));
    it('records an update on a closed duty without meeting it', () =>
      spec
        .given([contacted, arrestDuty, closed(arrestId, '2026-11-17T10:00:00Z')])
        .when(command)
        .then([given('2026-11-18T18:30:00Z')]));
    it('refuses a trigger that opened no duty', () =>
      spec.given([contacted]).when(command).thenThrows(VictimCommandRefused, `no update duty was opened by event ${arrestId}`));
    it('refuses an update about something else than the duty', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, about: 'suspect-bailed' })
        .thenThrows(VictimCommandRefused, 'the duty is for suspect-arrested'));
    it('refuses a channel the victim has not agreed', () =>
      spec
        .given([
          contacted,
          {
            type: T.ContactPreferencesAgreed,
            data: {
              ...ids,
              channels: ['email'],
              times: [],
              leaveMessages: false,
              safeContact: { email: 'sam@example.org' },
              agreedAt: '2026-11-03T10:00:00Z',
            },
          },
          arrestDuty,
        ])
        .when(command)
        .thenThrows(VictimCommandRefused, 'not phone'));
    it('refuses an update time without a zone when it must be compared with a deadline', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, at: 'tomorrow' })
        .thenThrows(VictimCommandRefused, 'ISO 8601 instant'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('check-deadlines', () => {
    const command: VictimCommand = { kind: 'check-deadlines', ...ids, now: '2026-11-24T00:00:05Z' };
    it('records nothing before any deadline', () =>
      spec
        .given([contacted, arrestDuty, bailDuty])
        .when({ ...command, now: '2026-11-23T23:59:59.999Z' })
        .then([]));
    it('records a miss for every open duty past its deadline', () =>
      spec.given([contacted, arrestDuty, bailDuty]).when(command).then([arrestMissed]));
    it('records each miss once only', () =>
      spec
        .given([contacted, arrestDuty, bailDuty, arrestMissed])
        .when({ ...command, now: '2027-01-04T09:00:00Z' })
        .then([
          {
            type: T.UpdateDeadlineMissed,
            data: {
              ...ids,
              triggerEventId: bailId,
              trigger: 'suspect-bailed',
              dueBy: '2026-11-27T23:59:59.999Z',
              detectedAt: '2027-01-04T09:00:00Z',
            },
          },
        ]));
    it('never records a miss for a duty met or closed', () =>
      spec
        .given([
          contacted,
          arrestDuty,
          bailDuty,
          given('2026-11-18T18:30:00Z'),
          met('2026-11-18T18:30:00Z', true),
          closed(bailId, '2026-11-21T10:00:00Z'),
        ])
        .when({ ...command, now: '2027-01-04T09:00:00Z' })
        .then([]));
    it('refuses a malformed now', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, now: 'now' })
        .thenThrows(VictimCommandRefused, 'ISO 8601 instant'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('close-duties', () => {
    const command: VictimCommand = { kind: 'close-duties', ...ids, reason: 'case-outcome-recorded', at: '2026-11-23T12:00:00Z' };
    it('closes every open duty', () =>
      spec
        .given([contacted, arrestDuty, bailDuty])
        .when(command)
        .then([closed(arrestId, '2026-11-23T12:00:00Z'), closed(bailId, '2026-11-23T12:00:00Z')]));
    it('records an unnoticed miss before closing, so closure never hides it', () =>
      spec
        .given([contacted, arrestDuty, bailDuty])
        .when({ ...command, at: '2026-11-24T00:00:05Z' })
        .then([arrestMissed, closed(arrestId, '2026-11-24T00:00:05Z'), closed(bailId, '2026-11-24T00:00:05Z')]));
    it('closes nothing when no duty is open', () =>
      spec
        .given([contacted, arrestDuty, given('2026-11-18T18:30:00Z'), met('2026-11-18T18:30:00Z', true)])
        .when(command)
        .then([]));
    it('refuses a malformed time', () =>
      spec
        .given([contacted, arrestDuty])
        .when({ ...command, at: '23/11/2026' })
        .thenThrows(VictimCommandRefused, 'ISO 8601 instant'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('timers after a restart', () => {
    it('a fold of the stream gives back every open duty with its deadline', () => {
      const history = [contacted, arrestDuty, bailDuty, arrestMissed, closed(bailId, '2026-11-25T09:00:00Z')];
      const state = history.reduce(victimDecider.evolve, victimDecider.initialState);
      expect(openDuties(state)).toEqual([
        { triggerEventId: arrestId, trigger: 'suspect-arrested', dueBy: '2026-11-23T23:59:59.999Z', status: 'open', missed: true },
      ]);
    });
  });

  describe('check-agreed-update (the recurring timer of the agreed frequency)', () => {
    // Agreed on Tuesday 3 November 2026: an update every 14 days, the first period ending with Tuesday 17 November.
    const agreed = (updateEveryDays?: number): VictimEvent => ({
      type: T.ContactPreferencesAgreed,
      data: {
        ...ids,
        channels: ['phone'],
        times: [],
        leaveMessages: false,
        safeContact: { phone: '+44 7700 900123' },
        ...(updateEveryDays === undefined ? {} : { updateEveryDays }),
        agreedAt: '2026-11-03T11:20:00Z',
      },
    });
    const check = (now: string): VictimCommand => ({ kind: 'check-agreed-update', ...ids, now });
    const missed = (periodStartedAt: string, dueBy: string, detectedAt: string): VictimEvent => ({
      type: T.AgreedUpdateMissed,
      data: { ...ids, everyDays: 14, periodStartedAt, dueBy, detectedAt },
    });
    const update = (givenAt: string): VictimEvent => ({
      type: T.UpdateGiven,
      data: { ...ids, about: 'investigation-progress', channel: 'phone', givenAt },
    });
    it('records nothing within the period', () =>
      spec
        .given([contacted, agreed(14)])
        .when(check('2026-11-17T23:00:00Z'))
        .then([]));
    it('records a period ended with no update, once; the next period runs from its end', () => {
      const first = missed('2026-11-03T11:20:00Z', '2026-11-17T23:59:59.999Z', '2026-11-18T00:05:00Z');
      spec
        .given([contacted, agreed(14)])
        .when(check('2026-11-18T00:05:00Z'))
        .then([first]);
      spec
        .given([contacted, agreed(14), first])
        .when(check('2026-11-20T00:05:00Z'))
        .then([]);
      spec
        .given([contacted, agreed(14), first])
        .when(check('2026-12-02T00:05:00Z'))
        .then([missed('2026-11-17T23:59:59.999Z', '2026-12-01T23:59:59.999Z', '2026-12-02T00:05:00Z')]);
    });
    it('starts a new period with any update given to the victim', () =>
      spec
        .given([contacted, agreed(14), update('2026-11-16T15:00:00Z')])
        .when(check('2026-11-18T00:05:00Z'))
        .then([]));
    it('has nothing to check without an agreed frequency, or once it is agreed again without one', () => {
      spec.given([contacted, agreed()]).when(check('2027-01-01T00:00:00Z')).then([]);
      spec
        .given([contacted, agreed(14), agreed()])
        .when(check('2027-01-01T00:00:00Z'))
        .then([]);
    });
  });
});
