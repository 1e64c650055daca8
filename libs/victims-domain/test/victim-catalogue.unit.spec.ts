import { randomUUID } from 'node:crypto';
import { BASELINE_MODEL, VICTIM_EVENTS, VictimEventTypes, catalogueEntry, validateEvent, type VictimEvent } from '#contracts';
import { testMetadata } from '#testing';
import { victimDecider, type VictimCommand } from '../src/index.js';

const asEvent = (type: string, data: unknown) => ({ id: randomUUID(), type, data, metadata: testMetadata() });

/** Follows a JSON pointer through a schema's `properties`. */
function schemaAt(schema: object, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as { properties?: Record<string, unknown> } | undefined)?.properties?.[key], schema);
}

describe('victims event catalogue', () => {
  it('has exactly one entry per victim event type, in the national catalogue', () => {
    expect(VICTIM_EVENTS.map((e) => e.type).sort()).toEqual(Object.values(VictimEventTypes).sort());
    for (const entry of VICTIM_EVENTS) expect(catalogueEntry(entry.type)).toBe(entry);
  });

  it.each(VICTIM_EVENTS.map((e) => [e.type, e] as const))('%s: the example validates against its schema', (type, entry) => {
    expect(validateEvent(asEvent(type, entry.example))).toEqual([]);
  });

  it.each(VICTIM_EVENTS.map((e) => [e.type, e] as const))('%s: every personal field is a field of the schema', (_type, entry) => {
    for (const pointer of entry.personalFields) expect(schemaAt(entry.schema, pointer)).toBeDefined();
  });

  it('declares contact details and free-text accounts personal', () => {
    const personal = Object.fromEntries(VICTIM_EVENTS.map((e) => [e.type, e.personalFields]));
    expect(personal[VictimEventTypes.ContactPreferencesAgreed]).toEqual(
      expect.arrayContaining(['/safeContact/name', '/safeContact/phone', '/safeContact/email', '/safeContact/address']),
    );
    expect(personal[VictimEventTypes.SupportWithdrawn]).toContain('/account');
    expect(personal[VictimEventTypes.ComplaintMade]).toContain('/account');
  });

  it('rejects data the schema does not declare', () => {
    const entry = VICTIM_EVENTS[0]!;
    expect(validateEvent(asEvent(entry.type, { ...entry.example, victimName: 'Jane Doe' }))).toEqual([
      { field: '/data/victimName', reason: 'is not allowed' },
    ]);
  });

  it('every event the decider records along a whole story validates', () => {
    const ids = { caseId: randomUUID(), victimId: randomUUID() };
    const arrest = randomUUID();
    const abe = randomUUID();
    const fme = randomUUID();
    const story: VictimCommand[] = [
      {
        kind: 'make-first-contact',
        ...ids,
        offence: 'rape-of-female-16-plus',
        officerId: 'AS-4471',
        channel: 'in-person',
        at: '2026-11-03T10:15:00Z',
      },
      {
        kind: 'complete-needs-assessment',
        ...ids,
        needs: ['safety-planning'],
        notes: 'Lives with a friend for now.',
        at: '2026-11-03T11:00:00Z',
      },
      { kind: 'refer-to-isva', ...ids, isvaService: 'Avon and Somerset ISVA Service', at: '2026-11-03T11:10:00Z' },
      {
        kind: 'refer-to-support-service',
        ...ids,
        service: 'rape-crisis',
        organisation: 'Rape Crisis Somerset',
        at: '2026-11-03T11:12:00Z',
      },
      {
        kind: 'agree-contact-preferences',
        ...ids,
        channels: ['email', 'via-isva'],
        times: ['weekend'],
        leaveMessages: true,
        safeContact: { email: 'sam@example.org' },
        updateEveryDays: 14,
        at: '2026-11-03T11:20:00Z',
      },
      // The agreed frequency's first period (to the end of 17 November) passes with no update.
      { kind: 'check-agreed-update', ...ids, now: '2026-11-18T00:05:00Z' },
      { kind: 'record-enhanced-rights', ...ids, categories: ['vulnerable-or-intimidated'], at: '2026-11-03T11:25:00Z' },
      { kind: 'send-letter', ...ids, letter: 'first-contact', channel: 'email', at: '2026-11-04T09:00:00Z' },
      { kind: 'open-update-duty', ...ids, trigger: 'suspect-arrested', triggerEventId: arrest, at: '2026-11-20T07:05:00Z' },
      { kind: 'check-deadlines', ...ids, now: '2026-11-24T00:00:05Z' },
      {
        kind: 'give-update',
        ...ids,
        about: 'suspect-arrested',
        channel: 'email',
        triggerEventId: arrest,
        summary: 'Arrested and bailed.',
        at: '2026-11-24T09:00:00Z',
      },
      { kind: 'request-special-measures', ...ids, measures: ['screens'], at: '2027-02-10T14:00:00Z' },
      { kind: 'offer-vps', ...ids, at: '2027-02-10T14:05:00Z' },
      { kind: 'decline-vps', ...ids, comment: 'Later.', at: '2027-02-10T14:10:00Z' },
      { kind: 'offer-vps', ...ids, at: '2027-03-10T14:05:00Z' },
      { kind: 'take-vps', ...ids, format: 'written', documentReference: 'AS-DOC-1', at: '2027-03-17T10:30:00Z' },
      // The victim's evidence (docs/evidence-and-court.md).
      {
        kind: 'plan-abe-interview',
        ...ids,
        interviewId: abe,
        plannedFor: '2027-03-18T10:00:00Z',
        withIntermediary: false,
        at: '2027-03-17T11:00:00Z',
      },
      { kind: 'record-abe-interview', ...ids, interviewId: abe, recordingReference: 'AS-VRI-1', at: '2027-03-18T11:00:00Z' },
      {
        kind: 'refer-for-forensic-examination',
        ...ids,
        examinationId: fme,
        sarc: { name: 'The Bridge', serviceKind: 'adult-sarc' },
        at: '2027-03-18T12:00:00Z',
      },
      {
        kind: 'record-forensic-examination',
        ...ids,
        examinationId: fme,
        consentedTo: ['examination'],
        consentRecordedAt: '2027-03-18T13:00:00Z',
        at: '2027-03-18T13:30:00Z',
      },
      {
        kind: 'refer-for-forensic-examination',
        ...ids,
        examinationId: abe,
        sarc: { name: 'The Bridge', serviceKind: 'adult-sarc' },
        at: '2027-03-19T12:00:00Z',
      },
      { kind: 'decline-forensic-examination', ...ids, examinationId: abe, at: '2027-03-19T13:00:00Z' },
      { kind: 'open-update-duty', ...ids, trigger: 'suspect-charged', triggerEventId: randomUUID(), at: '2027-03-20T10:00:00Z' },
      {
        kind: 'apply-for-special-measures',
        ...ids,
        applicationId: fme,
        measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
        at: '2027-03-21T10:00:00Z',
      },
      {
        kind: 'record-special-measures-decision',
        ...ids,
        applicationId: fme,
        granted: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
        refused: [],
        at: '2027-03-22T10:00:00Z',
      },
      { kind: 'order-pre-recorded-cross-examination', ...ids, hearingDate: '2027-05-10', at: '2027-03-22T10:00:00Z' },
      { kind: 'record-pre-recorded-cross-examination', ...ids, recordingReference: 'CC-S28-1', at: '2027-05-10T12:00:00Z' },
      {
        kind: 'withdraw-support',
        ...ids,
        reason: 'other',
        stage: 'awaiting-charging-decision',
        account: 'Her own words.',
        at: '2027-06-01T15:00:00Z',
      },
      { kind: 're-engage', ...ids, at: '2027-07-12T10:00:00Z' },
      { kind: 'make-complaint', ...ids, about: 'delay', account: 'Her own words.', at: '2027-07-13T10:00:00Z' },
      { kind: 'open-update-duty', ...ids, trigger: 'bail-conditions-changed', triggerEventId: randomUUID(), at: '2027-08-02T10:00:00Z' },
      { kind: 'close-duties', ...ids, reason: 'case-outcome-recorded', at: '2027-09-14T16:00:00Z' },
    ];
    let state = victimDecider.initialState;
    const recorded: VictimEvent[] = [];
    for (const command of story) {
      const events = victimDecider.decide(command, state, BASELINE_MODEL);
      recorded.push(...events);
      state = events.reduce(victimDecider.evolve, state);
    }
    expect(new Set(recorded.map((e) => e.type))).toEqual(new Set(Object.values(VictimEventTypes)));
    for (const event of recorded) expect(validateEvent(asEvent(event.type, event.data))).toEqual([]);
  });
});
