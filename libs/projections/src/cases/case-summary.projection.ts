import { assertNever, type CaseEvent, CaseEventTypes as T, type RecordedEvent, SupersededCaseEventTypes, upcast } from '#contracts';
import type { CaseSummary } from './case-summary.entity.js';

/**
 * Event types this projection handles: every current case event, and the superseded versions still on the
 * topics (a projection rebuilt from Kafka meets events published before they were upcast in the store).
 */
export const CASE_SUMMARY_EVENTS: ReadonlySet<string> = new Set([...Object.values(T), ...Object.values(SupersededCaseEventTypes)]);


function emptyRow(caseId: string, streamId: string): CaseSummary {
  return {
    caseId,
    streamId,
    crimeReference: null,
    offence: null,
    status: 'recorded',
    investigatorId: null,
    outcomeCode: null,
    reportedAt: null,
    recordedAt: null,
    openedAt: null,
    closedAt: null,
    lastRevision: '-1',
    timeline: [],
  };
}

/** The fold itself, over current versions only (the exhaustive switch proves every case event is handled). */
function apply(row: CaseSummary, event: CaseEvent): CaseSummary {
  switch (event.type) {
    case T.ReportReceived:
      return { ...row, status: 'reported', reportedAt: new Date(event.data.reportedAt) };
    case T.CrimeRecorded:
      return {
        ...row,
        status: 'recorded',
        crimeReference: event.data.crimeReference,
        offence: event.data.offence,
        reportedAt: new Date(event.data.reportedAt),
        recordedAt: new Date(event.data.recordedAt),
      };
    case T.RecordingCancelled:
      return { ...row, status: 'cancelled', closedAt: new Date(event.data.cancelledAt) };
    case T.InvestigationOpened:
      return { ...row, status: 'under-investigation', openedAt: new Date(event.data.openedAt) };
    case T.InvestigatorAssigned:
      return { ...row, investigatorId: event.data.officerId };
    case T.OutcomeRecorded:
      return { ...row, status: 'closed', outcomeCode: event.data.outcomeCode, closedAt: new Date(event.data.recordedAt) };
    case T.CaseReopened:
      return { ...row, status: 'under-investigation', outcomeCode: null, closedAt: null };
    // Kept in the timeline only: the summary has no column for them (yet).
    case T.SupervisorAssigned:
    case T.InvestigationPlanSet:
    case T.LineOfEnquiryCompleted:
    case T.SuspectLinked:
    case T.DeviceExtractionRequested:
    case T.DeviceExtractionAgreed:
    case T.DeviceExtractionRefused:
    case T.DeviceExtractionCompleted:
    case T.DeviceReturned:
    case T.ThirdPartyMaterialRequested:
    case T.CpsEarlyAdviceRequested:
    case T.ChargingFileSubmitted:
    case T.ChargingDecisionMade:
      return row;
    default:
      return assertNever(event);
  }
}

/**
 * Pure fold of one event into the case's row (STYLE.md habit 6). Returns the new row; the runtime persists it
 * in the same transaction as the dedup record. A superseded version is upcast first.
 */
export function evolveCaseSummary(row: CaseSummary | null, recorded: RecordedEvent): CaseSummary {
  const current = upcast(recorded);
  const event = current as unknown as CaseEvent & RecordedEvent;
  const base = row ?? emptyRow(event.data.caseId, current.streamId);
  const revision = current.revision.toString();
  return apply(
    {
      ...base,
      lastRevision: revision,
      timeline: [...base.timeline, { revision, type: current.type, occurredAt: current.metadata.occurredAt }],
    },
    event,
  );
}
