import {
  CaseEventTypes,
  SupersededCaseEventTypes,
  SuspectEventTypes,
  VictimEventTypes,
  deterministicUuid,
  type RecordedEvent,
} from '#contracts';

/**
 * A Victims' Code update duty's id: one trigger event (a suspect arrested) opens a duty for every victim of the
 * case, so the duty is the pair (victim, trigger event), never the trigger alone.
 */
export function updateDutyId(victimId: string, triggerEventId: string): string {
  return deterministicUuid('nom-update-duty', victimId, triggerEventId);
}
const dutyIdOf = (data: Data): string => updateDutyId(str(data, 'victimId'), str(data, 'triggerEventId'));

/**
 * Per-case, per-victim and per-duty facts folded from events: everything a KPI needs, nothing personal (ids,
 * codes and instants only). A fact row is owned by one stream (the case, the victim), except a case's first
 * charge, which comes from its suspects' streams and is folded as a minimum, so that the facts do not depend on
 * the order in which different streams' events arrive (Kafka orders each stream, not the log).
 */
export interface CaseFacts {
  readonly caseId: string;
  readonly force: string;
  readonly offence: string | null;
  /** When the victim (or a third party) reported it (crime-recorded `reportedAt`). */
  readonly reportedAt: string | null;
  /** Set by crime-recorded: only recorded crimes are counted. */
  readonly recordedAt: string | null;
  /** recording-cancelled (report or crime): a cancelled record is no crime and is never counted. */
  readonly cancelled: boolean;
  /** Earliest referral to the CPS: cps-early-advice-requested or charging-file-submitted. */
  readonly referredAt: string | null;
  /** Earliest suspect-charged of any suspect of the case. */
  readonly chargedAt: string | null;
  /** The current outcome (outcome-recorded); null while open, and again after case-reopened. */
  readonly outcomeCode: number | null;
  /** When the current outcome was recorded. */
  readonly closedAt: string | null;
  readonly reopenedCount: number;
}

export interface VictimFacts {
  readonly victimId: string;
  readonly caseId: string;
  readonly force: string;
  readonly firstContactAt: string | null;
  readonly isvaReferredAt: string | null;
  /** Support withdrawn and not re-engaged since. */
  readonly withdrawn: boolean;
  /** Stage of the latest withdrawal (kept after a re-engagement, for the record). */
  readonly withdrawalStage: string | null;
  readonly withdrawalCount: number;
}

export const DUTY_STATUSES = ['open', 'met', 'closed'] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];

/** A Victims' Code update duty, identified by the id of the event that triggered it. */
export interface DutyFacts {
  readonly dutyId: string;
  readonly victimId: string;
  readonly caseId: string;
  readonly force: string;
  readonly dueBy: string | null;
  readonly status: DutyStatus;
  /** update-deadline-missed, or met late (update-duty-met with onTime false). */
  readonly missed: boolean;
  /** Met on time and never missed. */
  readonly metOnTime: boolean;
}

const C = CaseEventTypes;
const S = SuspectEventTypes;
const V = VictimEventTypes;

export const CASE_FACT_EVENTS: ReadonlySet<string> = new Set([
  C.CrimeRecorded,
  SupersededCaseEventTypes.CrimeRecordedV1,
  C.RecordingCancelled,
  C.CpsEarlyAdviceRequested,
  C.ChargingFileSubmitted,
  C.OutcomeRecorded,
  C.CaseReopened,
  S.SuspectCharged,
]);
export const VICTIM_FACT_EVENTS: ReadonlySet<string> = new Set([V.FirstContactMade, V.ReferredToIsva, V.SupportWithdrawn, V.ReEngaged]);
export const DUTY_FACT_EVENTS: ReadonlySet<string> = new Set([
  V.UpdateDutyOpened,
  V.UpdateDutyMet,
  V.UpdateDeadlineMissed,
  V.UpdateDutyClosed,
]);
/** Every event type a KPI is computed from (docs/kpis.md lists them with their use). */
export const KPI_EVENT_TYPES: ReadonlySet<string> = new Set([...CASE_FACT_EVENTS, ...VICTIM_FACT_EVENTS, ...DUTY_FACT_EVENTS]);

type Data = Record<string, unknown>;
const str = (data: Data, key: string): string => data[key] as string;
const earliest = (a: string | null, b: string): string => (a === null || Date.parse(b) < Date.parse(a) ? b : a);

export function emptyCaseFacts(caseId: string, force: string): CaseFacts {
  return {
    caseId,
    force,
    offence: null,
    reportedAt: null,
    recordedAt: null,
    cancelled: false,
    referredAt: null,
    chargedAt: null,
    outcomeCode: null,
    closedAt: null,
    reopenedCount: 0,
  };
}

/** Folds one event into a case's facts; an event of another kind leaves them as they are. */
export function foldCaseFacts(facts: CaseFacts | null, event: RecordedEvent): CaseFacts {
  const data = event.data as Data;
  const f = facts ?? emptyCaseFacts(str(data, 'caseId'), event.metadata.force);
  switch (event.type) {
    case C.CrimeRecorded:
    case SupersededCaseEventTypes.CrimeRecordedV1:
      return { ...f, offence: str(data, 'offence'), reportedAt: str(data, 'reportedAt'), recordedAt: str(data, 'recordedAt') };
    case C.RecordingCancelled:
      return { ...f, cancelled: true };
    case C.CpsEarlyAdviceRequested:
      return { ...f, referredAt: earliest(f.referredAt, str(data, 'requestedAt')) };
    case C.ChargingFileSubmitted:
      return { ...f, referredAt: earliest(f.referredAt, str(data, 'submittedAt')) };
    case S.SuspectCharged:
      return { ...f, chargedAt: earliest(f.chargedAt, str(data, 'chargedAt')) };
    case C.OutcomeRecorded:
      return { ...f, outcomeCode: data['outcomeCode'] as number, closedAt: str(data, 'recordedAt') };
    case C.CaseReopened:
      return { ...f, outcomeCode: null, closedAt: null, reopenedCount: f.reopenedCount + 1 };
    default:
      return f;
  }
}

export function emptyVictimFacts(victimId: string, caseId: string, force: string): VictimFacts {
  return {
    victimId,
    caseId,
    force,
    firstContactAt: null,
    isvaReferredAt: null,
    withdrawn: false,
    withdrawalStage: null,
    withdrawalCount: 0,
  };
}

export function foldVictimFacts(facts: VictimFacts | null, event: RecordedEvent): VictimFacts {
  const data = event.data as Data;
  const f = facts ?? emptyVictimFacts(str(data, 'victimId'), str(data, 'caseId'), event.metadata.force);
  switch (event.type) {
    case V.FirstContactMade:
      return { ...f, firstContactAt: earliest(f.firstContactAt, str(data, 'madeAt')) };
    case V.ReferredToIsva:
      return { ...f, isvaReferredAt: earliest(f.isvaReferredAt, str(data, 'referredAt')) };
    case V.SupportWithdrawn:
      return { ...f, withdrawn: true, withdrawalStage: str(data, 'stage'), withdrawalCount: f.withdrawalCount + 1 };
    case V.ReEngaged:
      return { ...f, withdrawn: false };
    default:
      return f;
  }
}

export function foldDutyFacts(facts: DutyFacts | null, event: RecordedEvent): DutyFacts {
  const data = event.data as Data;
  const f: DutyFacts = facts ?? {
    dutyId: dutyIdOf(data),
    victimId: str(data, 'victimId'),
    caseId: str(data, 'caseId'),
    force: event.metadata.force,
    dueBy: null,
    status: 'open',
    missed: false,
    metOnTime: false,
  };
  switch (event.type) {
    case V.UpdateDutyOpened:
      return { ...f, dueBy: str(data, 'dueBy') };
    case V.UpdateDutyMet: {
      const onTime = data['onTime'] === true;
      return { ...f, status: 'met', missed: f.missed || !onTime, metOnTime: onTime && !f.missed };
    }
    case V.UpdateDeadlineMissed:
      return { ...f, missed: true, metOnTime: false };
    case V.UpdateDutyClosed:
      return f.status === 'met' ? f : { ...f, status: 'closed' };
    default:
      return f;
  }
}

/** The fact rows an event touches (a case id, a victim id, a duty id), or none. */
export function factKeysOf(event: RecordedEvent): { readonly caseId?: string; readonly victimId?: string; readonly dutyId?: string } {
  const data = event.data as Data;
  if (CASE_FACT_EVENTS.has(event.type)) return { caseId: str(data, 'caseId') };
  if (VICTIM_FACT_EVENTS.has(event.type)) return { victimId: str(data, 'victimId') };
  if (DUTY_FACT_EVENTS.has(event.type)) return { dutyId: dutyIdOf(data) };
  return {};
}
