import { VictimEventTypes as T, type VictimEvent } from '#contracts';
import { specFor } from '#testing';
import { VictimCommandRefused, victimDecider, type VictimCommand, type VictimState } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const victimId = '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';
const ids = { caseId, victimId };
const at = '2027-02-10T14:00:00.000Z';
const spec = specFor<VictimCommand, VictimEvent, VictimState>(victimDecider);

const contacted: VictimEvent = {
  type: T.FirstContactMade,
  data: { ...ids, offence: 'rape-of-female-16-plus', officerId: 'AS-4471', channel: 'in-person', madeAt: at },
};
const phoneOnly: VictimEvent = {
  type: T.ContactPreferencesAgreed,
  data: { ...ids, channels: ['phone'], times: [], leaveMessages: false, safeContact: { phone: '+44 7700 900123' }, agreedAt: at },
};
const offered: VictimEvent = { type: T.VpsOffered, data: { ...ids, offeredAt: at } };
const withdrawn: VictimEvent = {
  type: T.SupportWithdrawn,
  data: { ...ids, reason: 'length-of-investigation', stage: 'awaiting-charging-decision', withdrawnAt: at },
};

describe('victim support', () => {
  describe('request-special-measures', () => {
    const command: VictimCommand = {
      kind: 'request-special-measures',
      ...ids,
      measures: ['screens', 'pre-recorded-cross-examination'],
      at,
    };
    const requested: VictimEvent = {
      type: T.SpecialMeasuresRequested,
      data: { ...ids, measures: ['screens', 'pre-recorded-cross-examination'], requestedAt: at },
    };
    it('requests special measures', () => spec.given([contacted]).when(command).then([requested]));
    it('requests only measures not already requested', () =>
      spec
        .given([contacted, requested])
        .when({ ...command, measures: ['screens', 'intermediary'] })
        .then([{ type: T.SpecialMeasuresRequested, data: { ...ids, measures: ['intermediary'], requestedAt: at } }]));
    it('records nothing when every measure was already requested', () => spec.given([contacted, requested]).when(command).then([]));
    it('refuses an empty request', () =>
      spec
        .given([contacted])
        .when({ ...command, measures: [] })
        .thenThrows(VictimCommandRefused, 'at least one special measure'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('offer-vps', () => {
    const command: VictimCommand = { kind: 'offer-vps', ...ids, at };
    it('offers a Victim Personal Statement', () => spec.given([contacted]).when(command).then([offered]));
    it('offers again after a decline', () =>
      spec
        .given([contacted, offered, { type: T.VpsDeclined, data: { ...ids, declinedAt: at } }])
        .when(command)
        .then([offered]));
    it('refuses while an offer awaits an answer', () =>
      spec.given([contacted, offered]).when(command).thenThrows(VictimCommandRefused, 'already awaiting'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('take-vps', () => {
    const command: VictimCommand = { kind: 'take-vps', ...ids, format: 'video-recorded', documentReference: 'AS-DOC-2027-018842', at };
    it('takes the statement offered', () =>
      spec
        .given([contacted, offered])
        .when(command)
        .then([{ type: T.VpsTaken, data: { ...ids, format: 'video-recorded', documentReference: 'AS-DOC-2027-018842', takenAt: at } }]));
    it('refuses without an offer', () =>
      spec.given([contacted]).when(command).thenThrows(VictimCommandRefused, 'offer the Victim Personal Statement first'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('decline-vps', () => {
    const command: VictimCommand = { kind: 'decline-vps', ...ids, comment: 'Not now.', at };
    it('records the decline with what the victim said', () =>
      spec
        .given([contacted, offered])
        .when(command)
        .then([{ type: T.VpsDeclined, data: { ...ids, comment: 'Not now.', declinedAt: at } }]));
    it('records a decline without a comment', () =>
      spec
        .given([contacted, offered])
        .when({ ...command, comment: ' ' })
        .then([{ type: T.VpsDeclined, data: { ...ids, declinedAt: at } }]));
    it('refuses without an offer', () =>
      spec.given([contacted]).when(command).thenThrows(VictimCommandRefused, 'offer the Victim Personal Statement first'));
  });

  describe('send-letter', () => {
    const command: VictimCommand = { kind: 'send-letter', ...ids, letter: 'first-contact', channel: 'post', at };
    const sent: VictimEvent = { type: T.LetterSent, data: { ...ids, letter: 'first-contact', channel: 'post', sentAt: at } };
    it('sends a letter', () => spec.given([contacted]).when(command).then([sent]));
    it('sends a key-point letter again, e.g. after a reopened case', () =>
      spec
        .given([contacted, { type: T.LetterSent, data: { ...ids, letter: 'charge', channel: 'post', sentAt: at } }])
        .when({ ...command, letter: 'charge' })
        .then([{ type: T.LetterSent, data: { ...ids, letter: 'charge', channel: 'post', sentAt: at } }]));
    it('refuses a second first-contact letter', () =>
      spec.given([contacted, sent]).when(command).thenThrows(VictimCommandRefused, 'already been sent'));
    it('refuses a channel the victim has not agreed', () =>
      spec.given([contacted, phoneOnly]).when(command).thenThrows(VictimCommandRefused, 'agreed to be contacted by phone, not post'));
    it('refuses a letter through an ISVA the victim does not have', () =>
      spec
        .given([contacted])
        .when({ ...command, channel: 'via-isva' })
        .thenThrows(VictimCommandRefused, 'not been referred to an ISVA'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('withdraw-support', () => {
    const command: VictimCommand = {
      kind: 'withdraw-support',
      ...ids,
      reason: 'length-of-investigation',
      stage: 'awaiting-charging-decision',
      at,
    };
    it('records the reason and the stage', () => spec.given([contacted]).when(command).then([withdrawn]));
    it("records another reason with the victim's account", () =>
      spec
        .given([contacted])
        .when({ ...command, reason: 'other', account: 'Moving abroad for work.' })
        .then([
          {
            type: T.SupportWithdrawn,
            data: { ...ids, reason: 'other', stage: 'awaiting-charging-decision', account: 'Moving abroad for work.', withdrawnAt: at },
          },
        ]));
    it('refuses another reason without an account', () =>
      spec
        .given([contacted])
        .when({ ...command, reason: 'other', account: '  ' })
        .thenThrows(VictimCommandRefused, "victim's account"));
    it('refuses when support is already withdrawn', () =>
      spec.given([contacted, withdrawn]).when(command).thenThrows(VictimCommandRefused, 'already withdrawn'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('re-engage', () => {
    const command: VictimCommand = { kind: 're-engage', ...ids, at };
    const reEngaged: VictimEvent = { type: T.ReEngaged, data: { ...ids, reEngagedAt: at } };
    it('records re-engagement after a withdrawal', () => spec.given([contacted, withdrawn]).when(command).then([reEngaged]));
    it('lets a victim withdraw again after re-engaging', () =>
      spec
        .given([contacted, withdrawn, reEngaged])
        .when({ kind: 'withdraw-support', ...ids, reason: 'fear-of-reprisal', stage: 'awaiting-charging-decision', at })
        .then([
          { type: T.SupportWithdrawn, data: { ...ids, reason: 'fear-of-reprisal', stage: 'awaiting-charging-decision', withdrawnAt: at } },
        ]));
    it('refuses when support was never withdrawn', () =>
      spec.given([contacted]).when(command).thenThrows(VictimCommandRefused, 'has not withdrawn'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('make-complaint', () => {
    const command: VictimCommand = {
      kind: 'make-complaint',
      ...ids,
      about: 'communication',
      account: 'Nobody told me he was released.',
      at,
    };
    it('records the complaint', () =>
      spec
        .given([contacted, withdrawn])
        .when(command)
        .then([
          { type: T.ComplaintMade, data: { ...ids, about: 'communication', account: 'Nobody told me he was released.', madeAt: at } },
        ]));
    it("refuses a complaint without the victim's words", () =>
      spec
        .given([contacted])
        .when({ ...command, account: '' })
        .thenThrows(VictimCommandRefused, "victim's words"));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });
});
