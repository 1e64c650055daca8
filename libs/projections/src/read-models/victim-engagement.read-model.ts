import type { EntityManager } from 'typeorm';
import { VictimEventTypes as V, type RecordedEvent } from '#contracts';
import { updateDutyId } from '#kpis';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import { applyKeyedFold, createTableSql, field, type KeyedFold, type TableSpec } from './table-spec.js';

/** One victim's engagement: dates and codes only (no contact details, notes, accounts or summaries). */
export interface VictimEngagementRow extends Record<string, unknown> {
  victimId: string;
  caseId: string;
  firstContactAt: string | null;
  enhancedRights: boolean;
  needsAssessedAt: string | null;
  isvaReferredAt: string | null;
  supportReferrals: number;
  withdrawn: boolean;
  withdrawalStage: string | null;
  withdrawalReasonCode: string | null;
  withdrawnAt: string | null;
  reEngagedAt: string | null;
  lastContactAt: string | null;
  complaints: number;
  lastEventAt: string;
}

export const DUTY_STATUSES = ['open', 'met', 'closed'] as const;

/** A Victims' Code update duty: its deadline and what became of it. */
export interface UpdateDutyRow extends Record<string, unknown> {
  /** The duty: (victim, trigger event) – one trigger opens a duty for every victim of the case. */
  dutyId: string;
  triggerEventId: string;
  victimId: string;
  caseId: string;
  triggerKind: string | null;
  triggeredAt: string | null;
  dueBy: string | null;
  status: (typeof DUTY_STATUSES)[number];
  missed: boolean;
  missedAt: string | null;
  metAt: string | null;
  onTime: boolean | null;
  closedAt: string | null;
}

export const VICTIM_ENGAGEMENT: TableSpec<VictimEngagementRow> = {
  base: 'victim_engagement',
  columns: {
    victimId: 'uuid', caseId: 'uuid', firstContactAt: 'timestamptz', enhancedRights: 'boolean', needsAssessedAt: 'timestamptz', isvaReferredAt: 'timestamptz',
    supportReferrals: 'integer', withdrawn: 'boolean', withdrawalStage: 'text', withdrawalReasonCode: 'text', withdrawnAt: 'timestamptz', reEngagedAt: 'timestamptz',
    lastContactAt: 'timestamptz', complaints: 'integer', lastEventAt: 'timestamptz',
  },
  key: ['victimId'],
  indexes: [['caseId']],
};

export const VICTIM_UPDATE_DUTIES: TableSpec<UpdateDutyRow> = {
  base: 'victim_update_duties',
  columns: {
    dutyId: 'uuid', triggerEventId: 'uuid', victimId: 'uuid', caseId: 'uuid', triggerKind: 'text', triggeredAt: 'timestamptz', dueBy: 'timestamptz', status: 'text',
    missed: 'boolean', missedAt: 'timestamptz', metAt: 'timestamptz', onTime: 'boolean', closedAt: 'timestamptz',
  },
  key: ['dutyId'],
  indexes: [['victimId'], ['status', 'dueBy']],
};

const DUTY_EVENTS: ReadonlySet<string> = new Set([V.UpdateDutyOpened, V.UpdateDutyMet, V.UpdateDeadlineMissed, V.UpdateDutyClosed]);
const EVENTS: ReadonlySet<string> = new Set(Object.values(V));
const latest = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

export function evolveVictimEngagement(row: VictimEngagementRow | null, event: RecordedEvent): VictimEngagementRow {
  const r: VictimEngagementRow = {
    ...(row ?? {
      victimId: field(event, 'victimId'), caseId: field(event, 'caseId'), firstContactAt: null, enhancedRights: false, needsAssessedAt: null, isvaReferredAt: null,
      supportReferrals: 0, withdrawn: false, withdrawalStage: null, withdrawalReasonCode: null, withdrawnAt: null, reEngagedAt: null, lastContactAt: null,
      complaints: 0, lastEventAt: event.metadata.occurredAt,
    }),
    lastEventAt: event.metadata.occurredAt,
  };
  switch (event.type) {
    case V.FirstContactMade:
      return { ...r, firstContactAt: r.firstContactAt ?? field(event, 'madeAt'), lastContactAt: latest(r.lastContactAt, field(event, 'madeAt')) };
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
      return { ...r, withdrawn: true, withdrawalStage: field(event, 'stage'), withdrawalReasonCode: field(event, 'reason'), withdrawnAt: field(event, 'withdrawnAt') };
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
    triggerEventId: field(event, 'triggerEventId'), victimId: field(event, 'victimId'), caseId: field(event, 'caseId'), triggerKind: null, triggeredAt: null,
    dueBy: null, status: 'open', missed: false, missedAt: null, metAt: null, onTime: null, closedAt: null,
  };
  switch (event.type) {
    case V.UpdateDutyOpened:
      return { ...r, triggerKind: field(event, 'trigger'), triggeredAt: field(event, 'triggeredAt'), dueBy: field(event, 'dueBy') };
    case V.UpdateDutyMet:
      return { ...r, status: 'met', metAt: field(event, 'metAt'), onTime: data['onTime'] === true, missed: r.missed || data['onTime'] !== true };
    case V.UpdateDeadlineMissed:
      return { ...r, missed: true, missedAt: field(event, 'detectedAt'), triggerKind: r.triggerKind ?? field(event, 'trigger') };
    case V.UpdateDutyClosed:
      return r.status === 'met' ? r : { ...r, status: 'closed', closedAt: field(event, 'closedAt') };
    default:
      return r;
  }
}

const victimFold: KeyedFold<VictimEngagementRow> = {
  spec: VICTIM_ENGAGEMENT,
  keyOf: (e) => (EVENTS.has(e.type) && !DUTY_EVENTS.has(e.type) ? field(e, 'victimId') : undefined),
  evolve: evolveVictimEngagement,
};
const dutyFold: KeyedFold<UpdateDutyRow> = {
  spec: VICTIM_UPDATE_DUTIES,
  keyOf: (e) => (DUTY_EVENTS.has(e.type) ? updateDutyId(field(e, 'victimId'), field(e, 'triggerEventId')) : undefined),
  evolve: evolveUpdateDuty,
};

/** Victim engagement: per victim, and each Victims' Code update duty with its deadline. */
export const victimEngagementReadModel: ReadModel = {
  name: 'victim_engagement',
  // 2: duties keyed by (victim, trigger event) in `dutyId`; version 1 merged the duties one trigger opens for several victims.
  version: 2,
  eventTypes: EVENTS,
  tables: [VICTIM_ENGAGEMENT.base, VICTIM_UPDATE_DUTIES.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, VICTIM_ENGAGEMENT), ...createTableSql(t, VICTIM_UPDATE_DUTIES)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, victimFold, events);
    await applyKeyedFold(em, t, dutyFold, events);
  },
};
