import { CaseEventTypes as C, SupersededCaseEventTypes, SuspectEventTypes, VictimEventTypes, type RecordedEvent } from '#contracts';
import { field, type KeyedFold } from '../table-spec.js';
import { INVESTIGATIONS, type InvestigationRow, type TimelineRow } from './investigations.table.js';

/** The investigations' fold: pure, from an event to the row it changes and the timeline line it adds. */

/** The events an investigation's row is folded from: every case event, the superseded versions still stored included. */
export const INVESTIGATION_EVENTS: ReadonlySet<string> = new Set([...Object.values(C), ...Object.values(SupersededCaseEventTypes)]);
/** Events that carry a case id: every case, suspect and victim event is on some case's timeline. */
export const TIMELINE_EVENTS: ReadonlySet<string> = new Set([
  ...INVESTIGATION_EVENTS,
  ...Object.values(SuspectEventTypes),
  ...Object.values(VictimEventTypes),
]);

function blank(caseId: string, at: string): InvestigationRow {
  return {
    caseId,
    status: 'reported',
    crimeReference: null,
    n100Reference: null,
    offence: null,
    offenceCode: null,
    investigatorId: null,
    supervisorId: null,
    reportedAt: null,
    recordedAt: null,
    openedAt: null,
    closedAt: null,
    outcomeCode: null,
    cancelledAt: null,
    reopenedCount: 0,
    suspectsLinked: 0,
    lastEventAt: at,
  };
}

/** The investigation row after one of its case stream's events (the case stream orders them). One new row per event. */
export function evolveInvestigation(row: InvestigationRow | null, event: RecordedEvent): InvestigationRow {
  const lastEventAt = event.metadata.occurredAt;
  const r = row ?? blank(field(event, 'caseId'), lastEventAt);
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case C.ReportReceived:
      return { ...r, lastEventAt, n100Reference: field(event, 'n100Reference'), reportedAt: field(event, 'reportedAt') };
    case C.CrimeRecorded:
    case SupersededCaseEventTypes.CrimeRecordedV1:
      return {
        ...r,
        lastEventAt,
        status: r.status === 'reported' ? 'recorded' : r.status,
        crimeReference: field(event, 'crimeReference'),
        offence: field(event, 'offence'),
        offenceCode: (data['offenceCode'] as string | null | undefined) ?? null,
        n100Reference: (data['n100Reference'] as string | null | undefined) ?? r.n100Reference,
        reportedAt: field(event, 'reportedAt'),
        recordedAt: field(event, 'recordedAt'),
      };
    case C.RecordingCancelled:
      return { ...r, lastEventAt, status: 'cancelled', cancelledAt: field(event, 'cancelledAt') };
    case C.InvestigationOpened:
      return { ...r, lastEventAt, status: 'under-investigation', openedAt: field(event, 'openedAt') };
    case C.InvestigatorAssigned:
      return { ...r, lastEventAt, investigatorId: field(event, 'officerId') };
    case C.SupervisorAssigned:
      return { ...r, lastEventAt, supervisorId: field(event, 'officerId') };
    case C.SuspectLinked:
      return { ...r, lastEventAt, suspectsLinked: r.suspectsLinked + 1 };
    case C.OutcomeRecorded:
      return { ...r, lastEventAt, status: 'closed', outcomeCode: data['outcomeCode'] as number, closedAt: field(event, 'recordedAt') };
    case C.CaseReopened:
      return { ...r, lastEventAt, status: 'under-investigation', outcomeCode: null, closedAt: null, reopenedCount: r.reopenedCount + 1 };
    default:
      return { ...r, lastEventAt };
  }
}

export const investigationFold: KeyedFold<InvestigationRow> = {
  spec: INVESTIGATIONS,
  keyOf: (event) => (INVESTIGATION_EVENTS.has(event.type) ? field(event, 'caseId') : undefined),
  evolve: evolveInvestigation,
};

/** The timeline lines of a batch: one per event that names a case. */
export function timelineRows(events: readonly RecordedEvent[]): TimelineRow[] {
  return events
    .filter((e) => TIMELINE_EVENTS.has(e.type))
    .map((e): TimelineRow => ({
      caseId: field(e, 'caseId'),
      streamId: e.streamId,
      revision: e.revision.toString(),
      eventType: e.type,
      occurredAt: e.metadata.occurredAt,
      actor: e.metadata.actor,
    }));
}
