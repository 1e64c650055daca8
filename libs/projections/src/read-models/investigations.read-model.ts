import type { EntityManager } from 'typeorm';
import { CaseEventTypes as C, SupersededCaseEventTypes, SuspectEventTypes, VictimEventTypes, type RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import { applyKeyedFold, createTableSql, field, insertRows, type KeyedFold, type TableSpec } from './table-spec.js';

export const INVESTIGATION_STATUSES = ['reported', 'recorded', 'under-investigation', 'closed', 'cancelled'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

/** One investigation: ids, codes, statuses and instants only. */
export interface InvestigationRow extends Record<string, unknown> {
  caseId: string;
  status: InvestigationStatus;
  crimeReference: string | null;
  n100Reference: string | null;
  offence: string | null;
  offenceCode: string | null;
  investigatorId: string | null;
  supervisorId: string | null;
  reportedAt: string | null;
  recordedAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  outcomeCode: number | null;
  cancelledAt: string | null;
  reopenedCount: number;
  suspectsLinked: number;
  lastEventAt: string;
}

/** One line of a case's timeline: what happened, when, and who did it (an officer id or a system component). */
export interface TimelineRow extends Record<string, unknown> {
  caseId: string;
  streamId: string;
  revision: string;
  eventType: string;
  occurredAt: string;
  actor: string;
}

export const INVESTIGATIONS: TableSpec<InvestigationRow> = {
  base: 'investigations',
  columns: {
    caseId: 'uuid', status: 'text', crimeReference: 'text', n100Reference: 'text', offence: 'text', offenceCode: 'text',
    investigatorId: 'text', supervisorId: 'text', reportedAt: 'timestamptz', recordedAt: 'timestamptz', openedAt: 'timestamptz',
    closedAt: 'timestamptz', outcomeCode: 'integer', cancelledAt: 'timestamptz', reopenedCount: 'integer', suspectsLinked: 'integer',
    lastEventAt: 'timestamptz',
  },
  key: ['caseId'],
  indexes: [['-reportedAt', 'caseId'], ['status'], ['investigatorId'], ['offence'], ['recordedAt']],
};

export const INVESTIGATION_TIMELINE: TableSpec<TimelineRow> = {
  base: 'investigation_timeline',
  columns: { caseId: 'uuid', streamId: 'text', revision: 'bigint', eventType: 'text', occurredAt: 'timestamptz', actor: 'text' },
  key: ['streamId', 'revision'],
  indexes: [['caseId', 'occurredAt']],
};

const CASE_EVENTS: ReadonlySet<string> = new Set([...Object.values(C), ...Object.values(SupersededCaseEventTypes)]);
/** Events that carry a case id: every case, suspect and victim event is on some case's timeline. */
const TIMELINE_EVENTS: ReadonlySet<string> = new Set([...CASE_EVENTS, ...Object.values(SuspectEventTypes), ...Object.values(VictimEventTypes)]);

function blank(caseId: string, at: string): InvestigationRow {
  return {
    caseId, status: 'reported', crimeReference: null, n100Reference: null, offence: null, offenceCode: null, investigatorId: null, supervisorId: null,
    reportedAt: null, recordedAt: null, openedAt: null, closedAt: null, outcomeCode: null, cancelledAt: null, reopenedCount: 0, suspectsLinked: 0, lastEventAt: at,
  };
}

/** The investigation row after one of its case stream's events (the case stream orders them). */
export function evolveInvestigation(row: InvestigationRow | null, event: RecordedEvent): InvestigationRow {
  const r = { ...(row ?? blank(field(event, 'caseId'), event.metadata.occurredAt)), lastEventAt: event.metadata.occurredAt };
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case C.ReportReceived:
      return { ...r, n100Reference: field(event, 'n100Reference'), reportedAt: field(event, 'reportedAt') };
    case C.CrimeRecorded:
    case SupersededCaseEventTypes.CrimeRecordedV1:
      return {
        ...r,
        status: r.status === 'reported' ? 'recorded' : r.status,
        crimeReference: field(event, 'crimeReference'),
        offence: field(event, 'offence'),
        offenceCode: (data['offenceCode'] as string | null | undefined) ?? null,
        n100Reference: (data['n100Reference'] as string | null | undefined) ?? r.n100Reference,
        reportedAt: field(event, 'reportedAt'),
        recordedAt: field(event, 'recordedAt'),
      };
    case C.RecordingCancelled:
      return { ...r, status: 'cancelled', cancelledAt: field(event, 'cancelledAt') };
    case C.InvestigationOpened:
      return { ...r, status: 'under-investigation', openedAt: field(event, 'openedAt') };
    case C.InvestigatorAssigned:
      return { ...r, investigatorId: field(event, 'officerId') };
    case C.SupervisorAssigned:
      return { ...r, supervisorId: field(event, 'officerId') };
    case C.SuspectLinked:
      return { ...r, suspectsLinked: r.suspectsLinked + 1 };
    case C.OutcomeRecorded:
      return { ...r, status: 'closed', outcomeCode: data['outcomeCode'] as number, closedAt: field(event, 'recordedAt') };
    case C.CaseReopened:
      return { ...r, status: 'under-investigation', outcomeCode: null, closedAt: null, reopenedCount: r.reopenedCount + 1 };
    default:
      return r;
  }
}

const investigationFold: KeyedFold<InvestigationRow> = {
  spec: INVESTIGATIONS,
  keyOf: (event) => (CASE_EVENTS.has(event.type) ? field(event, 'caseId') : undefined),
  evolve: evolveInvestigation,
};

/** Investigations: the list (filters, paging) and each case's timeline. */
export const investigationsReadModel: ReadModel = {
  name: 'investigations',
  version: 1,
  eventTypes: TIMELINE_EVENTS,
  tables: [INVESTIGATIONS.base, INVESTIGATION_TIMELINE.base],
  createTables: (t: ReadModelTables) => [...createTableSql(t, INVESTIGATIONS), ...createTableSql(t, INVESTIGATION_TIMELINE)],
  async apply(em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]): Promise<void> {
    await applyKeyedFold(em, t, investigationFold, events);
    const timeline = events
      .filter((e) => TIMELINE_EVENTS.has(e.type))
      .map((e): TimelineRow => ({ caseId: field(e, 'caseId'), streamId: e.streamId, revision: e.revision.toString(), eventType: e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor }));
    await insertRows(em, t, INVESTIGATION_TIMELINE, timeline);
  },
};
