import { randomUUID } from 'node:crypto';
import { CaseEventTypes as C, SuspectEventTypes as S, VictimEventTypes as V, type RecordedEvent } from '#contracts';

/** Hand-made recorded events for KPI tests: only what the folds read is meaningful. */
let position = 0n;
export function recorded(type: string, data: Record<string, unknown>, force = 'avon-somerset', streamId = 'test'): RecordedEvent {
  position += 1n;
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      force,
      occurredAt: '2026-01-01T00:00:00Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: 'AS-1',
      modelVersion: '2026.1',
      classification: 'OFFICIAL-SENSITIVE',
    },
    streamId,
    revision: 0n,
    position,
    recordedAt: '2026-01-01T00:00:00Z',
  };
}

const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

/** A small builder of one case's history, days counted from 1 January 2026. */
export function aCase(force = 'avon-somerset') {
  const caseId = randomUUID();
  const victimId = randomUUID();
  const events: RecordedEvent[] = [];
  const push = (type: string, data: Record<string, unknown>) => events.push(recorded(type, { caseId, ...data }, force));
  const builder = {
    caseId,
    victimId,
    events,
    recorded(reportedDay = 0, recordedDay = reportedDay, offence = 'rape-of-female-16-plus') {
      push(C.CrimeRecorded, {
        crimeReference: 'AS/1',
        offence,
        offenceCode: offence === 'rape-of-female-16-plus' ? '19C' : null,
        n100Reference: null,
        reportedAt: day(reportedDay),
        recordedAt: day(recordedDay),
      });
      return builder;
    },
    cancelled(at: number) {
      push(C.RecordingCancelled, { stage: 'crime', reason: 'duplicate-record', cancelledAt: day(at) });
      return builder;
    },
    earlyAdvice(at: number) {
      push(C.CpsEarlyAdviceRequested, { requestedAt: day(at) });
      return builder;
    },
    chargingFile(at: number) {
      push(C.ChargingFileSubmitted, { cpsReference: '52AS0421126', submittedAt: day(at) });
      return builder;
    },
    charged(at: number, suspectId = randomUUID()) {
      push(S.SuspectCharged, { suspectId, cpsDecisionReference: '52AS0421126', chargedAt: day(at) });
      return builder;
    },
    arrested(at: number, suspectId = randomUUID()) {
      push(S.SuspectArrested, { suspectId, arrestedAt: day(at), custodyClockStartedAt: day(at) });
      return builder;
    },
    interviewed(at: number, suspectId = randomUUID()) {
      push(S.SuspectInterviewed, { suspectId, setting: 'custody', response: 'answered', interviewedAt: day(at) });
      return builder;
    },
    bailed(at: number, suspectId = randomUUID()) {
      push(S.PreChargeBailGranted, { suspectId, bailedAt: day(at) });
      return builder;
    },
    bailLapsed(at: number, suspectId = randomUUID()) {
      push(S.BailLapsed, { suspectId, bailEndsOn: day(at).slice(0, 10), lapsedAt: day(at), detectedAt: day(at + 1) });
      return builder;
    },
    releasedUnderInvestigation(at: number, suspectId = randomUUID()) {
      push(S.ReleasedUnderInvestigation, { suspectId, releasedAt: day(at) });
      return builder;
    },
    cpsDecision(at: number, decision = 'charge') {
      push(C.ChargingDecisionMade, { cpsReference: '52AS0421126', decision, decidedAt: day(at) });
      return builder;
    },
    device(agreedDay: number, returnedDay?: number, extractionId = randomUUID()) {
      push(C.DeviceExtractionAgreed, { extractionId, agreedAt: day(agreedDay) });
      if (returnedDay !== undefined) push(C.DeviceReturned, { extractionId, returnedAt: day(returnedDay) });
      return builder;
    },
    flagged(at: number, suspectId = randomUUID()) {
      push(S.RepeatSuspectFlagRaised, { suspectId, linkedCaseIds: [randomUUID()], raisedAt: day(at) });
      return builder;
    },
    disrupted(at: number, tactic = 'stalking-protection-order', suspectId = randomUUID()) {
      push(S.DisruptionTacticRecorded, { suspectId, tactic, recordedAt: day(at) });
      return builder;
    },
    disruptionDecided(at: number, tactics: readonly string[] = ['mappa-referral'], suspectId = randomUUID()) {
      push(S.DisruptionDecisionRecorded, { suspectId, reviewId: randomUUID(), tactics, decidedAt: day(at) });
      return builder;
    },
    orderBreached(at: number, order = 'stalking-protection-order', suspectId = randomUUID()) {
      const breach = { breachId: randomUUID(), orderId: randomUUID(), order, response: 'arrested' };
      push(S.CivilOrderBreached, { suspectId, ...breach, breachedAt: day(at), recordedAt: day(at + 1) });
      return builder;
    },
    /** A charging file for one suspect submitted on day `submitted`, decided on day `decided` (CPS timeliness). */
    suspectDecision(submitted: number, decided: number, decision = 'charge', suspectId = randomUUID()) {
      const file = { cpsReference: '52AS0421126', suspectIds: [suspectId], submittedAt: day(submitted) };
      push(C.ChargingFileSubmitted, file);
      const made = { suspectId, cpsReference: file.cpsReference, test: 'full-code', decision, fileSubmittedAt: day(submitted) };
      push(C.SuspectChargingDecisionMade, { ...made, decidedAt: day(decided) });
      return builder;
    },
    outcome(code: number, at: number) {
      push(C.OutcomeRecorded, { outcomeCode: code, recordedAt: day(at) });
      return builder;
    },
    reopened(at: number, previousOutcomeCode: number) {
      push(C.CaseReopened, { reason: 'new-evidence', previousOutcomeCode, reopenedAt: day(at) });
      return builder;
    },
    contacted(at: number, victim = victimId) {
      push(V.FirstContactMade, {
        victimId: victim,
        offence: 'rape-of-female-16-plus',
        officerId: 'AS-1',
        channel: 'phone',
        madeAt: day(at),
      });
      return builder;
    },
    isva(at: number, victim = victimId) {
      push(V.ReferredToIsva, { victimId: victim, isvaService: 'ISVA', referredAt: day(at) });
      return builder;
    },
    abeInterviewed(at: number, victim = victimId) {
      push(V.AbeInterviewConducted, { victimId: victim, interviewId: randomUUID(), recordingReference: 'AS-VRI-1', conductedAt: day(at) });
      return builder;
    },
    withdrew(at: number, stage: string, victim = victimId, reason = 'emotional-toll') {
      push(V.SupportWithdrawn, { victimId: victim, reason, stage, withdrawnAt: day(at) });
      return builder;
    },
    reEngaged(at: number, victim = victimId) {
      push(V.ReEngaged, { victimId: victim, reEngagedAt: day(at) });
      return builder;
    },
    duty(triggerEventId: string, how: 'on-time' | 'late' | 'missed' | 'missed-then-met' | 'open' | 'closed', victim = victimId) {
      const victimId = victim;
      push(V.UpdateDutyOpened, {
        victimId,
        trigger: 'suspect-arrested',
        triggerEventId,
        triggeredAt: day(1),
        enhancedRights: true,
        workingDays: 1,
        dueDate: '2026-01-03',
        dueBy: day(2),
      });
      if (how === 'on-time') push(V.UpdateDutyMet, { victimId, triggerEventId, dueBy: day(2), metAt: day(1), onTime: true });
      if (how === 'late') push(V.UpdateDutyMet, { victimId, triggerEventId, dueBy: day(2), metAt: day(4), onTime: false });
      if (how === 'missed' || how === 'missed-then-met')
        push(V.UpdateDeadlineMissed, { victimId, triggerEventId, trigger: 'suspect-arrested', dueBy: day(2), detectedAt: day(3) });
      if (how === 'missed-then-met') push(V.UpdateDutyMet, { victimId, triggerEventId, dueBy: day(2), metAt: day(5), onTime: false });
      if (how === 'closed') push(V.UpdateDutyClosed, { victimId, triggerEventId, reason: 'case-outcome-recorded', closedAt: day(3) });
      return builder;
    },
  };
  return builder;
}
