import { randomUUID } from 'node:crypto';
import {
  BASELINE_MODEL,
  SUSPECT_EVENTS,
  SuspectEventTypes as T,
  isSuspectEventType,
  suspectEventSchemas,
  validateEvent,
  victimUpdateTrigger,
  type SuspectEvent,
  type SuspectEventType,
} from '#contracts';
import { testMetadata } from '#testing';
import { suspectDecider, type SuspectCommand } from '../src/index.js';

const asNewEvent = (type: string, data: object) => ({ id: randomUUID(), type, data, metadata: testMetadata() });

describe('suspect events in the national catalogue', () => {
  it('lists every suspect event type exactly once, in the suspects context', () => {
    expect(SUSPECT_EVENTS.map((e) => e.type).sort()).toEqual(Object.values(T).sort());
    expect(new Set(SUSPECT_EVENTS.map((e) => e.context))).toEqual(new Set(['suspects']));
  });

  it.each(SUSPECT_EVENTS.map((e) => [e.type, e] as const))('%s: its example validates against its schema', (type, entry) => {
    expect(validateEvent(asNewEvent(type, entry.example))).toEqual([]);
  });

  it.each(SUSPECT_EVENTS.map((e) => [e.type, e] as const))('%s: personal fields point at properties of its schema', (type, entry) => {
    const properties = Object.keys((suspectEventSchemas[type as SuspectEventType] as { properties: object }).properties);
    for (const pointer of entry.personalFields) expect(properties).toContain(pointer.slice(1));
  });

  it('declares the suspect’s name, date of birth and national references personal', () => {
    const identified = SUSPECT_EVENTS.find((e) => e.type === T.SuspectIdentified);
    expect(identified?.personalFields).toEqual(expect.arrayContaining(['/name', '/dateOfBirth', '/pncId', '/croNumber']));
  });

  it('declares every free-text field personal', () => {
    const freeText = ['resultSummary', 'conditions', 'reason', 'detail'];
    for (const entry of SUSPECT_EVENTS) {
      const properties = Object.keys((entry.schema as { properties: object }).properties);
      for (const field of properties.filter((p) => freeText.includes(p))) expect(entry.personalFields).toContain(`/${field}`);
    }
  });

  it('rejects data with a field the schema does not declare', () => {
    const example = SUSPECT_EVENTS[0]?.example ?? {};
    expect(validateEvent(asNewEvent(T.SuspectIdentified, { ...example, address: '1 High St' }))).toEqual([
      { field: '/data/address', reason: 'is not allowed' },
    ]);
  });

  it('rejects a malformed PNC ID', () => {
    const example = SUSPECT_EVENTS[0]?.example ?? {};
    expect(validateEvent(asNewEvent(T.SuspectIdentified, { ...example, pncId: '12345678A' }))).toHaveLength(1);
  });
});

describe('a whole suspect journey', () => {
  const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f' };
  const sergeant = { officerId: 'AS-3307', rank: 'sergeant' } as const;
  const journey: SuspectCommand[] = [
    { kind: 'identify-suspect', ...ids, name: 'Daniel Marsh', pncId: '12/345678A', at: '2026-11-04T10:20:00Z' },
    { kind: 'record-history-checks', ...ids, systems: ['pnc', 'pnd'], resultSummary: 'Prior reports on PND', at: '2026-11-04T15:00:00Z' },
    { kind: 'raise-repeat-suspect-flag', ...ids, reason: 'PND match', linkedCaseIds: [randomUUID()], at: '2026-11-04T16:00:00Z' },
    { kind: 'arrest-suspect', ...ids, custodyClockStartedAt: '2026-11-05T07:20:00Z', at: '2026-11-05T06:45:00Z' },
    { kind: 'record-interview', ...ids, setting: 'custody', response: 'no-comment', at: '2026-11-05T13:10:00Z' },
    {
      kind: 'grant-pre-charge-bail',
      ...ids,
      authorisedBy: sergeant,
      conditions: ['No contact'],
      victimViewsSoughtAt: '2026-11-05T16:00:00Z',
      at: '2026-11-05T18:30:00Z',
    },
    { kind: 'change-bail-conditions', ...ids, conditions: [], at: '2026-12-10T10:00:00Z' },
    {
      kind: 'extend-bail',
      ...ids,
      authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
      endsOn: '2027-05-05',
      at: '2027-01-28T11:00:00Z',
    },
    {
      kind: 'extend-bail',
      ...ids,
      authorisedBy: { officerId: 'AS-0101', rank: 'superintendent' },
      endsOn: '2027-08-05',
      at: '2027-04-28T11:00:00Z',
    },
    { kind: 'record-court-bail-extension', ...ids, court: "Bristol Magistrates' Court", endsOn: '2027-11-05', at: '2027-07-30T14:00:00Z' },
    { kind: 'record-disruption-tactic', ...ids, tactic: 'offender-management', at: '2027-08-01T10:00:00Z' },
    {
      kind: 'apply-for-civil-order',
      ...ids,
      orderId: randomUUID(),
      order: 'sexual-risk-order',
      court: "Bristol Magistrates' Court",
      at: '2027-08-02T10:00:00Z',
    },
    { kind: 'release-under-investigation', ...ids, at: '2027-09-01T10:00:00Z' },
    { kind: 'charge-suspect', ...ids, cpsDecisionReference: '52AS0421126', at: '2027-10-01T10:00:00Z' },
  ];

  it('produces only events that satisfy the catalogue', () => {
    let state = suspectDecider.initialState;
    const events: SuspectEvent[] = [];
    for (const command of journey) {
      const decided = suspectDecider.decide(command, state, BASELINE_MODEL);
      state = decided.reduce(suspectDecider.evolve, state);
      events.push(...decided);
    }
    expect(events).toHaveLength(journey.length);
    for (const event of events) expect(validateEvent(asNewEvent(event.type, event.data))).toEqual([]);
    expect(state.status).toBe('charged');
  });
});

describe(victimUpdateTrigger.name, () => {
  const expected: Record<SuspectEventType, ReturnType<typeof victimUpdateTrigger>> = {
    [T.SuspectIdentified]: undefined,
    [T.RepeatSuspectCheckReviewed]: undefined,
    [T.HistoryChecksCompleted]: undefined,
    [T.SuspectArrested]: 'arrested',
    [T.VoluntaryInterviewArranged]: undefined,
    [T.SuspectInterviewed]: 'interviewed',
    [T.PreChargeBailGranted]: 'bailed',
    [T.BailExtended]: 'bailed',
    [T.BailExtendedByCourt]: 'bailed',
    [T.BailConditionsChanged]: 'bail-conditions-changed',
    [T.ReleasedUnderInvestigation]: 'released-under-investigation',
    [T.ReleasedNoFurtherAction]: 'released',
    [T.SuspectCharged]: 'charged',
    [T.BailCancelled]: 'bail-cancelled',
    [T.BailLapsed]: 'bail-lapsed',
    [T.BailExpiryApproaching]: undefined,
    [T.ReleaseUnderInvestigationReviewed]: undefined,
    [T.ReleaseUnderInvestigationReviewOverdue]: undefined,
    [T.RepeatSuspectFlagRaised]: undefined,
    [T.RepeatSuspectFlagCleared]: undefined,
    [T.DisruptionTacticRecorded]: undefined,
    [T.RepeatSuspectFlagReviewed]: undefined,
    [T.DisruptionDecisionRecorded]: undefined,
    [T.CivilOrderBreached]: undefined,
    [T.CivilOrderAppliedFor]: undefined,
    [T.CivilOrderGranted]: undefined,
    [T.CivilOrderRefused]: undefined,
    [T.FirstHearingHeld]: undefined,
    [T.TrialListed]: undefined,
    [T.TrialStarted]: undefined,
    [T.VerdictRecorded]: 'verdict',
    [T.ProsecutionDiscontinued]: 'discontinued',
  };
  it.each(Object.entries(expected))('%s triggers %p', (type, trigger) => {
    expect(isSuspectEventType(type)).toBe(true);
    expect(victimUpdateTrigger({ type: type as SuspectEventType })).toBe(trigger);
  });

  it('recognises only suspect event types', () => {
    expect(isSuspectEventType('uk.police.nom.cases.crime-recorded.v1')).toBe(false);
  });
});
