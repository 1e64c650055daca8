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
    recorded(reportedDay = 0, recordedDay = reportedDay) {
      push(C.CrimeRecorded, {
        crimeReference: 'AS/1',
        offence: 'rape-of-female-16-plus',
        offenceCode: '19C',
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
    withdrew(at: number, stage: string, victim = victimId) {
      push(V.SupportWithdrawn, { victimId: victim, reason: 'emotional-toll', stage, withdrawnAt: day(at) });
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
