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
  /** Earliest request for CPS early advice (cps-early-advice-requested): advice, not a referral for a decision. */
  readonly earlyAdviceAt: string | null;
  /** Earliest referral to the CPS for a charging decision: the first charging-file-submitted. */
  readonly referredAt: string | null;
  /** Earliest suspect-charged of any suspect of the case. */
  readonly chargedAt: string | null;
  /** Earliest suspect-arrested of any suspect of the case. */
  readonly firstArrestAt: string | null;
  /** Earliest suspect-interviewed (in custody or voluntary) of any suspect of the case. */
  readonly firstInterviewAt: string | null;
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
  /** Earliest video-recorded (ABE) interview conducted (abe-interview-conducted `conductedAt`). */
  readonly abeInterviewAt: string | null;
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
  S.SuspectArrested,
  S.SuspectInterviewed,
]);
export const VICTIM_FACT_EVENTS: ReadonlySet<string> = new Set([
  V.FirstContactMade,
  V.ReferredToIsva,
  V.SupportWithdrawn,
  V.ReEngaged,
  V.AbeInterviewConducted,
]);
export const DUTY_FACT_EVENTS: ReadonlySet<string> = new Set([
  V.UpdateDutyOpened,
  V.UpdateDutyMet,
  V.UpdateDeadlineMissed,
  V.UpdateDutyClosed,
]);
/**
 * Things counted when they happen (a measure by period counts those in the period): one row each, keyed by the event
 * that records it, or by the device for a device's retention (agreed, then returned, on the case's stream).
 */
export const OCCURRENCE_KINDS = [
  'cps-charge',
  'bail',
  'released-under-investigation',
  'withdrawal',
  'repeat-suspect-flag',
  'disruption-tactic',
  'device',
  'bail-lapse',
  'cps-decision',
  'disruption-decision',
  'order-breach',
] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];

export interface OccurrenceFacts {
  readonly occurrenceId: string;
  readonly caseId: string;
  readonly force: string;
  readonly kind: OccurrenceKind;
  /** When it happened (for a device: when it was returned; null while it is still held). */
  readonly at: string | null;
  /** A device: when the victim agreed to its extraction (its retention counts from then). */
  readonly since: string | null;
  /** A code that splits the count: the withdrawal's reason, the disruption tactic. */
  readonly category: string | null;
  /** The withdrawal's stage. */
  readonly stage: string | null;
}

export const OCCURRENCE_EVENTS: ReadonlySet<string> = new Set([
  C.ChargingDecisionMade,
  S.PreChargeBailGranted,
  S.ReleasedUnderInvestigation,
  V.SupportWithdrawn,
  S.RepeatSuspectFlagRaised,
  S.DisruptionTacticRecorded,
  C.DeviceExtractionAgreed,
  C.DeviceReturned,
  S.BailLapsed,
  C.SuspectChargingDecisionMade,
  S.DisruptionDecisionRecorded,
  S.CivilOrderBreached,
]);

/** Every event type a KPI is computed from (docs/kpis.md lists them with their use). */
export const KPI_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...CASE_FACT_EVENTS,
  ...VICTIM_FACT_EVENTS,
  ...DUTY_FACT_EVENTS,
  ...OCCURRENCE_EVENTS,
]);

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
    earlyAdviceAt: null,
    referredAt: null,
    chargedAt: null,
    firstArrestAt: null,
    firstInterviewAt: null,
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
      return { ...f, earlyAdviceAt: earliest(f.earlyAdviceAt, str(data, 'requestedAt')) };
    case C.ChargingFileSubmitted:
      return { ...f, referredAt: earliest(f.referredAt, str(data, 'submittedAt')) };
    case S.SuspectCharged:
      return { ...f, chargedAt: earliest(f.chargedAt, str(data, 'chargedAt')) };
    case S.SuspectArrested:
      return { ...f, firstArrestAt: earliest(f.firstArrestAt, str(data, 'arrestedAt')) };
    case S.SuspectInterviewed:
      return { ...f, firstInterviewAt: earliest(f.firstInterviewAt, str(data, 'interviewedAt')) };
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
    abeInterviewAt: null,
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
    case V.AbeInterviewConducted:
      return { ...f, abeInterviewAt: earliest(f.abeInterviewAt, str(data, 'conductedAt')) };
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

/** The occurrence an event records (its own id, or the device's), or undefined for an event that records none. */
export function occurrenceIdOf(event: RecordedEvent): string | undefined {
  if (!OCCURRENCE_EVENTS.has(event.type)) return undefined;
  const data = event.data as Data;
  if (event.type === C.ChargingDecisionMade && data['decision'] !== 'charge') return undefined;
  if (event.type === C.DeviceExtractionAgreed || event.type === C.DeviceReturned) return str(data, 'extractionId');
  return event.id;
}

export function foldOccurrenceFacts(facts: OccurrenceFacts | null, event: RecordedEvent): OccurrenceFacts {
  const data = event.data as Data;
  const base = (kind: OccurrenceKind, at: string | null): OccurrenceFacts =>
    facts ?? {
      occurrenceId: occurrenceIdOf(event) ?? event.id,
      caseId: str(data, 'caseId'),
      force: event.metadata.force,
      kind,
      at,
      since: null,
      category: null,
      stage: null,
    };
  switch (event.type) {
    case C.ChargingDecisionMade:
      return base('cps-charge', str(data, 'decidedAt'));
    case S.PreChargeBailGranted:
      return base('bail', str(data, 'bailedAt'));
    case S.ReleasedUnderInvestigation:
      return base('released-under-investigation', str(data, 'releasedAt'));
    case S.BailLapsed:
      return base('bail-lapse', str(data, 'lapsedAt'));
    case C.SuspectChargingDecisionMade:
      // A CPS decision on one suspect: the decision as category, since the file it answers was submitted.
      return { ...base('cps-decision', str(data, 'decidedAt')), since: str(data, 'fileSubmittedAt'), category: str(data, 'decision') };
    case V.SupportWithdrawn:
      return { ...base('withdrawal', str(data, 'withdrawnAt')), category: str(data, 'reason'), stage: str(data, 'stage') };
    case S.RepeatSuspectFlagRaised:
      return base('repeat-suspect-flag', str(data, 'raisedAt'));
    case S.DisruptionTacticRecorded:
      return { ...base('disruption-tactic', str(data, 'recordedAt')), category: str(data, 'tactic') };
    case S.DisruptionDecisionRecorded:
      // Category: whether the decision chose any tactic (`tactics`) or none (`none`).
      return {
        ...base('disruption-decision', str(data, 'decidedAt')),
        category: (data['tactics'] as unknown[]).length ? 'tactics' : 'none',
      };
    case S.CivilOrderBreached:
      return { ...base('order-breach', str(data, 'breachedAt')), category: str(data, 'order') };
    case C.DeviceExtractionAgreed:
      return { ...base('device', null), since: str(data, 'agreedAt') };
    case C.DeviceReturned:
      return { ...base('device', null), at: str(data, 'returnedAt') };
    default:
      return base('device', null);
  }
}

/** The fact rows an event touches (a case id, a victim id, a duty id, an occurrence id), or none. */
export function factKeysOf(event: RecordedEvent): {
  readonly caseId?: string;
  readonly victimId?: string;
  readonly dutyId?: string;
  readonly occurrenceId?: string;
} {
  const data = event.data as Data;
  const occurrenceId = occurrenceIdOf(event);
  if (CASE_FACT_EVENTS.has(event.type)) return { caseId: str(data, 'caseId') };
  if (VICTIM_FACT_EVENTS.has(event.type)) return { victimId: str(data, 'victimId'), ...(occurrenceId ? { occurrenceId } : {}) };
  if (DUTY_FACT_EVENTS.has(event.type)) return { dutyId: dutyIdOf(data) };
  return occurrenceId ? { occurrenceId } : {};
}
