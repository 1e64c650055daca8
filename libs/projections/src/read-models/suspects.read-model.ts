import type { EntityManager } from 'typeorm';
import { SuspectEventTypes as S, type RecordedEvent } from '#contracts';
import type { ReadModel, ReadModelTables } from '../read-model.js';
import { applyKeyedFold, createTableSql, field, type KeyedFold, type TableSpec } from './table-spec.js';

export const SUSPECT_STATUSES = ['identified', 'arrested', 'bailed', 'released-under-investigation', 'no-further-action', 'charged'] as const;
export type SuspectStatus = (typeof SUSPECT_STATUSES)[number];

/** One suspect in one case: no name, date of birth, PNC ID or CRO number (personal), only ids, statuses, dates. */
export interface SuspectRow extends Record<string, unknown> {
  suspectId: string;
  caseId: string;
  status: SuspectStatus;
  identifiedAt: string | null;
  arrestedAt: string | null;
  interviewedAt: string | null;
  bailStartDate: string | null;
  bailEndsOn: string | null;
  bailExtensions: number;
  releasedAt: string | null;
  chargedAt: string | null;
  repeatFlag: boolean;
  lastEventAt: string;
}

export const SUSPECTS: TableSpec<SuspectRow> = {
  base: 'suspects',
  columns: {
    suspectId: 'uuid', caseId: 'uuid', status: 'text', identifiedAt: 'timestamptz', arrestedAt: 'timestamptz', interviewedAt: 'timestamptz',
    bailStartDate: 'date', bailEndsOn: 'date', bailExtensions: 'integer', releasedAt: 'timestamptz', chargedAt: 'timestamptz',
    repeatFlag: 'boolean', lastEventAt: 'timestamptz',
  },
  key: ['suspectId'],
  indexes: [['caseId'], ['status', 'bailEndsOn']],
};

const EVENTS: ReadonlySet<string> = new Set(Object.values(S));

export function evolveSuspect(row: SuspectRow | null, event: RecordedEvent): SuspectRow {
  const r: SuspectRow = {
    ...(row ?? {
      suspectId: field(event, 'suspectId'), caseId: field(event, 'caseId'), status: 'identified', identifiedAt: null, arrestedAt: null, interviewedAt: null,
      bailStartDate: null, bailEndsOn: null, bailExtensions: 0, releasedAt: null, chargedAt: null, repeatFlag: false, lastEventAt: event.metadata.occurredAt,
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

const fold: KeyedFold<SuspectRow> = { spec: SUSPECTS, keyOf: (e) => (EVENTS.has(e.type) ? field(e, 'suspectId') : undefined), evolve: evolveSuspect };

/** Suspects per force: status, bail end dates, repeat flag. */
export const suspectsReadModel: ReadModel = {
  name: 'suspects',
  version: 1,
  eventTypes: EVENTS,
  tables: [SUSPECTS.base],
  createTables: (t: ReadModelTables) => createTableSql(t, SUSPECTS),
  apply: (em: EntityManager, t: ReadModelTables, events: readonly RecordedEvent[]) => applyKeyedFold(em, t, fold, events),
};
