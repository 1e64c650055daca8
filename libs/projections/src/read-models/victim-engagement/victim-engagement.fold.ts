import { VictimEventTypes as V, type RecordedEvent } from '#contracts';
import { updateDutyId } from '#kpis';
import { field, type KeyedFold } from '../table-spec.js';
import { VICTIM_ENGAGEMENT, VICTIM_UPDATE_DUTIES, type UpdateDutyRow, type VictimEngagementRow } from './victim-engagement.table.js';

/** Victim engagement's fold: pure, from an event to the row it changes (the runtime loads and writes the rows). */

const DUTY_EVENTS: ReadonlySet<string> = new Set([V.UpdateDutyOpened, V.UpdateDutyMet, V.UpdateDeadlineMissed, V.UpdateDutyClosed]);
export const VICTIM_EVENTS: ReadonlySet<string> = new Set(Object.values(V));
const latest = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

export function evolveVictimEngagement(row: VictimEngagementRow | null, event: RecordedEvent): VictimEngagementRow {
  const r: VictimEngagementRow = {
    ...(row ?? {
      victimId: field(event, 'victimId'),
      caseId: field(event, 'caseId'),
      firstContactAt: null,
      enhancedRights: false,
      needsAssessedAt: null,
      isvaReferredAt: null,
      supportReferrals: 0,
      withdrawn: false,
      withdrawalStage: null,
      withdrawalReasonCode: null,
      withdrawnAt: null,
      reEngagedAt: null,
      lastContactAt: null,
      complaints: 0,
      lastEventAt: event.metadata.occurredAt,
    }),
    lastEventAt: event.metadata.occurredAt,
  };
  switch (event.type) {
    case V.FirstContactMade:
      return {
        ...r,
        firstContactAt: r.firstContactAt ?? field(event, 'madeAt'),
        lastContactAt: latest(r.lastContactAt, field(event, 'madeAt')),
      };
    case V.EnhancedRightsRecorded:
      return { ...r, enhancedRights: true };
    case V.NeedsAssessmentCompleted:
      return { ...r, needsAssessedAt: field(event, 'completedAt') };
    case V.ReferredToIsva:
      return { ...r, isvaReferredAt: r.isvaReferredAt ?? field(event, 'referredAt') };
    case V.ReferredToSupportService:
      return { ...r, supportReferrals: r.supportReferrals + 1 };
    case V.UpdateGiven:
      return { ...r, lastContactAt: latest(r.lastContactAt, field(event, 'givenAt')) };
    case V.LetterSent:
      return { ...r, lastContactAt: latest(r.lastContactAt, field(event, 'sentAt')) };
    case V.SupportWithdrawn:
      return {
        ...r,
        withdrawn: true,
        withdrawalStage: field(event, 'stage'),
        withdrawalReasonCode: field(event, 'reason'),
        withdrawnAt: field(event, 'withdrawnAt'),
      };
    case V.ReEngaged:
      return { ...r, withdrawn: false, reEngagedAt: field(event, 'reEngagedAt') };
    case V.ComplaintMade:
      return { ...r, complaints: r.complaints + 1 };
    default:
      return r;
  }
}

export function evolveUpdateDuty(row: UpdateDutyRow | null, event: RecordedEvent): UpdateDutyRow {
  const data = event.data as Record<string, unknown>;
  const r: UpdateDutyRow = row ?? {
    dutyId: updateDutyId(field(event, 'victimId'), field(event, 'triggerEventId')),
    triggerEventId: field(event, 'triggerEventId'),
    victimId: field(event, 'victimId'),
    caseId: field(event, 'caseId'),
    triggerKind: null,
    triggeredAt: null,
    dueBy: null,
    status: 'open',
    missed: false,
    missedAt: null,
    metAt: null,
    onTime: null,
    closedAt: null,
  };
  switch (event.type) {
    case V.UpdateDutyOpened:
      return { ...r, triggerKind: field(event, 'trigger'), triggeredAt: field(event, 'triggeredAt'), dueBy: field(event, 'dueBy') };
    case V.UpdateDutyMet:
      return {
        ...r,
        status: 'met',
        metAt: field(event, 'metAt'),
        onTime: data['onTime'] === true,
        missed: r.missed || data['onTime'] !== true,
      };
    case V.UpdateDeadlineMissed:
      return { ...r, missed: true, missedAt: field(event, 'detectedAt'), triggerKind: r.triggerKind ?? field(event, 'trigger') };
    case V.UpdateDutyClosed:
      return r.status === 'met' ? r : { ...r, status: 'closed', closedAt: field(event, 'closedAt') };
    default:
      return r;
  }
}

export const victimFold: KeyedFold<VictimEngagementRow> = {
  spec: VICTIM_ENGAGEMENT,
  keyOf: (e) => (VICTIM_EVENTS.has(e.type) && !DUTY_EVENTS.has(e.type) ? field(e, 'victimId') : undefined),
  evolve: evolveVictimEngagement,
};
export const dutyFold: KeyedFold<UpdateDutyRow> = {
  spec: VICTIM_UPDATE_DUTIES,
  keyOf: (e) => (DUTY_EVENTS.has(e.type) ? updateDutyId(field(e, 'victimId'), field(e, 'triggerEventId')) : undefined),
  evolve: evolveUpdateDuty,
};
