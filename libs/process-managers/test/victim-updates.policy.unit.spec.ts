import { randomUUID } from 'node:crypto';
import { CaseEventTypes, SuspectEventTypes, VictimEventTypes, type RecordedEvent } from '#contracts';
import { testMetadata } from '#testing';
import { reactTo } from '../src/index.js';

const caseId = randomUUID();
const victimId = randomUUID();

function recorded(type: string, data: object): RecordedEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: testMetadata(),
    streamId: 's',
    revision: 0n,
    position: 1n,
    recordedAt: '2026-11-30T10:00:00Z',
  };
}

describe(reactTo.name, () => {
  it.each([
    [SuspectEventTypes.SuspectArrested, 'suspect-arrested', 'arrestedAt'],
    [SuspectEventTypes.SuspectInterviewed, 'suspect-interviewed', 'interviewedAt'],
    [SuspectEventTypes.ReleasedNoFurtherAction, 'suspect-released', 'releasedAt'],
    [SuspectEventTypes.PreChargeBailGranted, 'suspect-bailed', 'bailedAt'],
    [SuspectEventTypes.BailExtended, 'suspect-bailed', 'extendedAt'],
    [SuspectEventTypes.BailExtendedByCourt, 'suspect-bailed', 'extendedAt'],
    [SuspectEventTypes.ReleasedUnderInvestigation, 'suspect-released-under-investigation', 'releasedAt'],
    [SuspectEventTypes.BailConditionsChanged, 'bail-conditions-changed', 'changedAt'],
    [SuspectEventTypes.SuspectCharged, 'suspect-charged', 'chargedAt'],
    // The trial's outcome and a prosecution stopped (docs/evidence-and-court.md).
    [SuspectEventTypes.VerdictRecorded, 'court-verdict', 'recordedAt'],
    [SuspectEventTypes.ProsecutionDiscontinued, 'prosecution-discontinued', 'discontinuedAt'],
  ])('opens an update duty for each victim on %s, from when it happened as the event states it (%s, %s)', (type, trigger, field) => {
    // Recorded days after it happened: the deadline runs from the stated time, not from the recording.
    const event = recorded(type, { caseId, [field]: '2026-10-30T21:30:00.000Z' });
    expect(event.metadata.occurredAt).not.toBe('2026-10-30T21:30:00.000Z');
    const reaction = reactTo(event);
    expect(reaction?.kind).toBe('command-victims');
    if (reaction?.kind !== 'command-victims') return;
    expect(reaction.caseId).toBe(caseId);
    expect(reaction.command(victimId)).toEqual({
      kind: 'open-update-duty',
      caseId,
      victimId,
      trigger,
      triggerEventId: event.id,
      at: '2026-10-30T21:30:00.000Z',
    });
  });

  it.each([SuspectEventTypes.FirstHearingHeld, SuspectEventTypes.TrialListed, SuspectEventTypes.TrialStarted])(
    'opens no update duty for %s (hearings reach the victim through the Witness Care Unit)',
    (type) => expect(reactTo(recorded(type, { caseId }))).toBeUndefined(),
  );

  it('links an identified suspect to the case', () => {
    const suspectId = randomUUID();
    const event = recorded(SuspectEventTypes.SuspectIdentified, { caseId, suspectId });
    expect(reactTo(event)).toEqual({
      kind: 'command-case',
      command: { kind: 'link-suspect', caseId, suspectId, at: event.metadata.occurredAt },
    });
  });

  it('opens a no-further-action duty for an outcome other than charge, and closes no duty (each is met or missed)', () => {
    const event = recorded(CaseEventTypes.OutcomeRecorded, { caseId, outcomeCode: 14, recordedAt: '2027-01-01T00:00:00Z' });
    const reaction = reactTo(event);
    expect(reaction?.kind === 'command-victims' && reaction.command(victimId)).toEqual({
      kind: 'open-update-duty',
      caseId,
      victimId,
      trigger: 'no-further-action',
      triggerEventId: event.id,
      at: '2027-01-01T00:00:00Z',
    });
    // Charge (1): the suspect's charge already opened its duty.
    expect(
      reactTo(recorded(CaseEventTypes.OutcomeRecorded, { caseId, outcomeCode: 1, recordedAt: '2027-01-01T00:00:00Z' })),
    ).toBeUndefined();
  });

  it('opens a duty for every victim on a decision not to investigate, as of the decision', () => {
    const event = recorded(CaseEventTypes.DecidedNotToInvestigate, {
      caseId,
      reason: 'no-realistic-line-of-enquiry',
      decidedBy: 'AS-2210',
      explanation: 'No line of enquiry could identify the person described.',
      decidedAt: '2026-11-04T10:00:00Z',
    });
    const reaction = reactTo(event);
    expect(reaction?.kind === 'command-victims' && reaction.command(victimId)).toEqual({
      kind: 'open-update-duty',
      caseId,
      victimId,
      trigger: 'decision-not-to-investigate',
      triggerEventId: event.id,
      at: '2026-11-04T10:00:00Z',
    });
  });

  it('keeps links and timers from the victims events, and ignores the rest', () => {
    expect(reactTo(recorded(VictimEventTypes.FirstContactMade, { caseId, victimId }))).toEqual({ kind: 'link-victim', caseId, victimId });
    const triggerEventId = randomUUID();
    expect(
      reactTo(recorded(VictimEventTypes.UpdateDutyOpened, { caseId, victimId, triggerEventId, dueBy: '2026-12-04T23:59:59.999Z' })),
    ).toEqual({
      kind: 'timer-set',
      caseId,
      victimId,
      triggerEventId,
      dueBy: '2026-12-04T23:59:59.999Z',
    });
    for (const type of [VictimEventTypes.UpdateDutyMet, VictimEventTypes.UpdateDeadlineMissed, VictimEventTypes.UpdateDutyClosed]) {
      expect(reactTo(recorded(type, { caseId, victimId, triggerEventId }))).toEqual({ kind: 'timer-cleared', victimId, triggerEventId });
    }
    expect(reactTo(recorded(SuspectEventTypes.SuspectIdentified, { caseId, suspectId: caseId }))?.kind).toBe('command-case');
    expect(reactTo(recorded(CaseEventTypes.InvestigationOpened, { caseId }))).toBeUndefined();
  });
});
