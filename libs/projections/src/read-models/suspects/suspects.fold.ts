import { SuspectEventTypes as S, type RecordedEvent } from '#contracts';
import { field, type KeyedFold } from '../table-spec.js';
import { SUSPECTS, type SuspectRow } from './suspects.table.js';

/** The suspects' fold: pure, from an event to the suspect's row. */

export const SUSPECT_EVENTS: ReadonlySet<string> = new Set(Object.values(S));

export function evolveSuspect(row: SuspectRow | null, event: RecordedEvent): SuspectRow {
  const r: SuspectRow = {
    ...(row ?? {
      suspectId: field(event, 'suspectId'),
      caseId: field(event, 'caseId'),
      status: 'identified',
      identifiedAt: null,
      arrestedAt: null,
      interviewedAt: null,
      bailStartDate: null,
      bailEndsOn: null,
      bailExtensions: 0,
      releasedAt: null,
      chargedAt: null,
      repeatFlag: false,
      lastEventAt: event.metadata.occurredAt,
    }),
    lastEventAt: event.metadata.occurredAt,
  };
  switch (event.type) {
    case S.SuspectIdentified:
      return { ...r, identifiedAt: field(event, 'identifiedAt') };
    case S.SuspectArrested:
      return { ...r, status: 'arrested', arrestedAt: field(event, 'arrestedAt') };
    case S.SuspectInterviewed:
      return { ...r, interviewedAt: field(event, 'interviewedAt') };
    case S.PreChargeBailGranted:
      return { ...r, status: 'bailed', bailStartDate: field(event, 'bailStartDate'), bailEndsOn: field(event, 'bailEndsOn') };
    case S.BailExtended:
    case S.BailExtendedByCourt:
      return { ...r, status: 'bailed', bailEndsOn: field(event, 'bailEndsOn'), bailExtensions: r.bailExtensions + 1 };
    case S.ReleasedUnderInvestigation:
      return { ...r, status: 'released-under-investigation', bailEndsOn: null, releasedAt: field(event, 'releasedAt') };
    case S.ReleasedNoFurtherAction:
      return { ...r, status: 'no-further-action', bailEndsOn: null, releasedAt: field(event, 'releasedAt') };
    case S.SuspectCharged:
      return { ...r, status: 'charged', bailEndsOn: null, chargedAt: field(event, 'chargedAt') };
    case S.RepeatSuspectFlagRaised:
      return { ...r, repeatFlag: true };
    case S.RepeatSuspectFlagCleared:
      return { ...r, repeatFlag: false };
    default:
      return r;
  }
}

export const suspectFold: KeyedFold<SuspectRow> = {
  spec: SUSPECTS,
  keyOf: (e) => (SUSPECT_EVENTS.has(e.type) ? field(e, 'suspectId') : undefined),
  evolve: evolveSuspect,
};
