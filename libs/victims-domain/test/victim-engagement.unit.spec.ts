import { VictimEventTypes as T, type OffenceGroup, type VictimEvent } from '#contracts';
import { specFor } from '#testing';
import { VictimCommandRefused, victimDecider, victimStreamId, type VictimCommand, type VictimState } from '../src/index.js';

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const victimId = '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e';
const ids = { caseId, victimId };
const at = '2026-11-03T10:15:00.000Z';
const spec = specFor<VictimCommand, VictimEvent, VictimState>(victimDecider);

const firstContact = (offence: OffenceGroup): VictimEvent => ({
  type: T.FirstContactMade,
  data: { ...ids, offence, officerId: 'AS-4471', channel: 'in-person', madeAt: at },
});
const contacted = firstContact('sexual-assault');
const isva: VictimEvent = { type: T.ReferredToIsva, data: { ...ids, isvaService: 'Avon and Somerset ISVA Service', referredAt: at } };

describe('victim engagement', () => {
  it('streams one victim in a case as victim-<victimId>', () => {
    expect(victimStreamId(victimId)).toBe(`victim-${victimId}`);
  });

  describe('make-first-contact', () => {
    const command: VictimCommand = {
      kind: 'make-first-contact',
      ...ids,
      offence: 'sexual-assault',
      officerId: 'AS-4471',
      channel: 'in-person',
      at,
    };
    const byRule = (categories: string[], source = 'offence-rule'): VictimEvent =>
      ({ type: T.EnhancedRightsRecorded, data: { ...ids, categories, source, recordedAt: at } }) as VictimEvent;
    it('records first contact, with enhanced rights by rule for a sexual offence (most serious crime)', () =>
      spec
        .given([])
        .when(command)
        .then([contacted, byRule(['most-serious-crime'])]));
    it('records enhanced rights by rule for rape too', () =>
      spec
        .given([])
        .when({ ...command, offence: 'rape-of-male-16-plus' })
        .then([firstContact('rape-of-male-16-plus'), byRule(['most-serious-crime'])]));
    it('given an offence against a child, records the victim as vulnerable too, by the offence', () =>
      spec
        .given([])
        .when({ ...command, offence: 'rape-of-female-under-13' })
        .then([firstContact('rape-of-female-under-13'), byRule(['most-serious-crime', 'vulnerable-or-intimidated'])]));
    it('given a victim under 18 of an offence not defined by age, records them as vulnerable by the age rule', () =>
      spec
        .given([])
        .when({ ...command, offence: 'rape-of-female-16-plus', victimUnder18: true })
        .then([firstContact('rape-of-female-16-plus'), byRule(['most-serious-crime']), byRule(['vulnerable-or-intimidated'], 'age-rule')]));
    it('refuses a second first contact', () => spec.given([contacted]).when(command).thenThrows(VictimCommandRefused, 'already recorded'));
  });

  describe('any command after first contact', () => {
    const command: VictimCommand = { kind: 'refer-to-isva', ...ids, isvaService: 'Avon and Somerset ISVA Service', at };
    it('refuses a victim with no first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
    it('refuses a command naming another case', () =>
      spec
        .given([contacted])
        .when({ ...command, caseId: '00000000-0000-4000-8000-000000000000' })
        .thenThrows(VictimCommandRefused, `recorded on case ${caseId}`));
  });

  describe('record-enhanced-rights', () => {
    const command: VictimCommand = { kind: 'record-enhanced-rights', ...ids, categories: ['vulnerable-or-intimidated'], at };
    const recorded: VictimEvent = {
      type: T.EnhancedRightsRecorded,
      data: { ...ids, categories: ['vulnerable-or-intimidated'], source: 'officer-assessment', recordedAt: at },
    };
    it('records the categories an officer assessed', () => spec.given([contacted]).when(command).then([recorded]));
    it('records only categories not already held', () =>
      spec
        .given([contacted, recorded])
        .when({ ...command, categories: ['vulnerable-or-intimidated', 'persistently-targeted'] })
        .then([{ type: T.EnhancedRightsRecorded, data: { ...recorded.data, categories: ['persistently-targeted'] } }]));
    it('records nothing when every category is already held', () => spec.given([contacted, recorded]).when(command).then([]));
    it('refuses an empty list of categories', () =>
      spec
        .given([contacted])
        .when({ ...command, categories: [] })
        .thenThrows(VictimCommandRefused, 'at least one'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('complete-needs-assessment', () => {
    const command: VictimCommand = {
      kind: 'complete-needs-assessment',
      ...ids,
      needs: ['counselling', 'counselling', 'housing'],
      notes: 'Evenings only.',
      at,
    };
    it('records the needs, each once', () =>
      spec
        .given([contacted])
        .when(command)
        .then([
          {
            type: T.NeedsAssessmentCompleted,
            data: { ...ids, needs: ['counselling', 'housing'], notes: 'Evenings only.', completedAt: at },
          },
        ]));
    it('records an assessment that found no needs', () =>
      spec
        .given([contacted])
        .when({ kind: 'complete-needs-assessment', ...ids, needs: [], at })
        .then([{ type: T.NeedsAssessmentCompleted, data: { ...ids, needs: [], completedAt: at } }]));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('refer-to-isva', () => {
    const command: VictimCommand = { kind: 'refer-to-isva', ...ids, isvaService: 'Avon and Somerset ISVA Service', at };
    it('refers the victim to an ISVA', () => spec.given([contacted]).when(command).then([isva]));
    it('refuses a second referral', () =>
      spec.given([contacted, isva]).when(command).thenThrows(VictimCommandRefused, 'already been referred'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('refer-to-support-service', () => {
    const command: VictimCommand = {
      kind: 'refer-to-support-service',
      ...ids,
      service: 'sarc',
      organisation: 'The Bridge SARC, Bristol',
      at,
    };
    const referred: VictimEvent = {
      type: T.ReferredToSupportService,
      data: { ...ids, service: 'sarc', organisation: 'The Bridge SARC, Bristol', referredAt: at },
    };
    it('refers the victim to a service', () => spec.given([contacted]).when(command).then([referred]));
    it('refers the victim to another organisation of the same kind', () =>
      spec
        .given([contacted, referred])
        .when({ ...command, organisation: 'Rape Crisis Somerset' })
        .then([{ type: T.ReferredToSupportService, data: { ...referred.data, organisation: 'Rape Crisis Somerset' } }]));
    it('refuses the same referral twice, however it is spelt', () =>
      spec
        .given([contacted, referred])
        .when({ ...command, organisation: ' the bridge SARC, Bristol ' })
        .thenThrows(VictimCommandRefused, 'already been referred'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });

  describe('agree-contact-preferences', () => {
    const command: VictimCommand = {
      kind: 'agree-contact-preferences',
      ...ids,
      channels: ['sms', 'email'],
      times: ['weekday-evening'],
      leaveMessages: false,
      safeContact: { name: 'Sam', phone: '+44 7700 900123', email: 'sam@example.org' },
      at,
    };
    it('records the agreed channels, times and safe contact details', () =>
      spec
        .given([contacted])
        .when(command)
        .then([
          {
            type: T.ContactPreferencesAgreed,
            data: {
              ...ids,
              channels: ['sms', 'email'],
              times: ['weekday-evening'],
              leaveMessages: false,
              safeContact: { name: 'Sam', phone: '+44 7700 900123', email: 'sam@example.org' },
              agreedAt: at,
            },
          },
        ]));
    it('records the update frequency the victim agreed, when there is one', () =>
      spec
        .given([contacted])
        .when({ ...command, updateEveryDays: 28 })
        .then([
          {
            type: T.ContactPreferencesAgreed,
            data: {
              ...ids,
              channels: ['sms', 'email'],
              times: ['weekday-evening'],
              leaveMessages: false,
              safeContact: { name: 'Sam', phone: '+44 7700 900123', email: 'sam@example.org' },
              updateEveryDays: 28,
              agreedAt: at,
            },
          },
        ]));
    it('accepts contact through the ISVA once the victim has one', () =>
      spec
        .given([contacted, isva])
        .when({ ...command, channels: ['via-isva', 'in-person'], safeContact: {} })
        .then([
          {
            type: T.ContactPreferencesAgreed,
            data: {
              ...ids,
              channels: ['via-isva', 'in-person'],
              times: ['weekday-evening'],
              leaveMessages: false,
              safeContact: {},
              agreedAt: at,
            },
          },
        ]));
    it('refuses no channel at all', () =>
      spec
        .given([contacted])
        .when({ ...command, channels: [] })
        .thenThrows(VictimCommandRefused, 'at least one way'));
    it.each([
      [['phone'], 'phone number'],
      [['sms'], 'phone number'],
      [['email'], 'email address'],
      [['post'], 'address'],
    ] as const)('refuses %p without the details to use it', (channels, what) =>
      spec
        .given([contacted])
        .when({ ...command, channels, safeContact: { name: 'Sam' } })
        .thenThrows(VictimCommandRefused, what),
    );
    it('refuses contact via an ISVA before an ISVA referral', () =>
      spec
        .given([contacted])
        .when({ ...command, channels: ['via-isva'] })
        .thenThrows(VictimCommandRefused, 'referral to an ISVA first'));
    it('refuses before first contact', () => spec.given([]).when(command).thenThrows(VictimCommandRefused, 'no first contact'));
  });
});
