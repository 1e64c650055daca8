import { CaseEventTypes, type CaseEvent, type RecordedEvent } from '#contracts';
import type { CaseSummary } from './case-summary.entity.js';

/** Event types this projection handles. */
export const CASE_SUMMARY_EVENTS: ReadonlySet<string> = new Set(Object.values(CaseEventTypes));

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

/**
 * Pure fold of one event into the case's row (STYLE.md habit 6). Returns the new row; the runtime persists it
 * in the same transaction as the dedup record.
 */
export function evolveCaseSummary(row: CaseSummary | null, recorded: RecordedEvent): CaseSummary {
  const event = recorded as unknown as CaseEvent & RecordedEvent;
  const base: CaseSummary = row ?? {
    caseId: event.data.caseId,
    streamId: recorded.streamId,
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
  const next: CaseSummary = {
    ...base,
    lastRevision: recorded.revision.toString(),
    timeline: [
      ...base.timeline,
      { revision: recorded.revision.toString(), type: recorded.type, occurredAt: recorded.metadata.occurredAt },
    ],
  };
  switch (event.type) {
    case CaseEventTypes.CrimeRecorded:
      return {
        ...next,
        crimeReference: event.data.crimeReference,
        offence: event.data.offence,
        reportedAt: new Date(event.data.reportedAt),
        recordedAt: new Date(event.data.recordedAt),
      };
    case CaseEventTypes.InvestigationOpened:
      return { ...next, status: 'under-investigation', openedAt: new Date(event.data.openedAt) };
    case CaseEventTypes.InvestigatorAssigned:
      return { ...next, investigatorId: event.data.officerId };
    case CaseEventTypes.OutcomeRecorded:
      return { ...next, status: 'closed', outcomeCode: event.data.outcomeCode, closedAt: new Date(event.data.recordedAt) };
    default:
      return assertNever(event);
  }
}
