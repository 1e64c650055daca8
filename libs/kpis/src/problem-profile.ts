import {
  AGE_BANDS,
  CaseEventTypes as C,
  DOMESTIC_ABUSE_FLAGS,
  RELATIONSHIPS_TO_SUSPECT,
  SupersededCaseEventTypes,
  type AgeBand,
  type DomesticAbuseFlag,
  type RelationshipToSuspect,
} from '#contracts';
import { DAY_MS, dateToDayMs, londonDate } from '#calendar';
import { inPeriod, quartersOf, type Period } from './period.js';
import { NotWholeQuarters } from './measures.js';
import type { Count, Suppression } from './report.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, suppressCells, type CellTable } from './suppression.js';

/**
 * A force's problem profile (issue 13; docs/kpis.md, "Problem profile"): the recorded crimes of a period counted by
 * the victim's relationship to the suspect, the domestic-abuse flag, the victim's and the suspect's age bands and how
 * long after the offence it was reported. Its facts are special-category personal data (encrypted in the log, never
 * in a read model): they are read from the log in clear only to be counted here, and only counts leave, each below
 * the threshold suppressed, never a case.
 */
export const REPORTING_DELAY_BANDS = ['within-7-days', '8-to-30-days', '31-days-to-1-year', '1-to-5-years', 'over-5-years'] as const;
export type ReportingDelayBand = (typeof REPORTING_DELAY_BANDS)[number];

/** One recorded crime with its profile (the latest recorded). */
export interface ProblemProfileFacts {
  readonly caseId: string;
  readonly recordedAt: string;
  readonly reportedAt: string;
  readonly offenceDate: string;
  readonly relationshipToSuspect: RelationshipToSuspect;
  readonly domesticAbuse: DomesticAbuseFlag;
  readonly victimAgeBand: AgeBand;
  readonly suspectAgeBand: AgeBand;
}

const oneOf = <V extends string>(values: readonly V[], value: unknown): value is V => (values as readonly unknown[]).includes(value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Data = Record<string, unknown>;
interface Folded {
  crime?: { readonly recordedAt: string; readonly reportedAt: string };
  cancelled: boolean;
  profile?: Omit<ProblemProfileFacts, 'caseId' | 'recordedAt' | 'reportedAt'>;
}

/**
 * The profiled crimes of a force's log (decrypted): a crime recorded and not cancelled, with a profile whose every
 * value is of the vocabulary (an erased subject's profile is not counted). Any other event is passed over.
 */
export function problemProfileFactsOf(events: Iterable<{ readonly type: string; readonly data: unknown }>): ProblemProfileFacts[] {
  const cases = new Map<string, Folded>();
  const of = (caseId: string): Folded => cases.get(caseId) ?? cases.set(caseId, { cancelled: false }).get(caseId)!;
  for (const { type, data } of events) {
    const d = data as Data;
    if (type === C.CrimeRecorded || type === SupersededCaseEventTypes.CrimeRecordedV1) {
      of(d['caseId'] as string).crime = { recordedAt: d['recordedAt'] as string, reportedAt: d['reportedAt'] as string };
    } else if (type === C.RecordingCancelled) {
      of(d['caseId'] as string).cancelled = true;
    } else if (type === C.ProblemProfileRecorded) {
      const { offenceDate, relationshipToSuspect, domesticAbuse, victimAgeBand, suspectAgeBand } = d;
      const valid =
        typeof offenceDate === 'string' &&
        DATE.test(offenceDate) &&
        oneOf(RELATIONSHIPS_TO_SUSPECT, relationshipToSuspect) &&
        oneOf(DOMESTIC_ABUSE_FLAGS, domesticAbuse) &&
        oneOf(AGE_BANDS, victimAgeBand) &&
        oneOf(AGE_BANDS, suspectAgeBand);
      const folded = of(d['caseId'] as string);
      if (valid) folded.profile = { offenceDate, relationshipToSuspect, domesticAbuse, victimAgeBand, suspectAgeBand };
      else delete folded.profile;
    }
  }
  return [...cases]
    .filter(([, c]) => c.crime !== undefined && !c.cancelled && c.profile !== undefined)
    .map(([caseId, c]) => ({ caseId, ...c.crime!, ...c.profile! }));
}

/** The band of the days from the offence to its report (UK dates; a year is 365 days, five years 1826). */
export function reportingDelayBand(offenceDate: string, reportedAt: string): ReportingDelayBand {
  const days = Math.round((dateToDayMs(londonDate(reportedAt)) - dateToDayMs(offenceDate)) / DAY_MS);
  if (days <= 7) return 'within-7-days';
  if (days <= 30) return '8-to-30-days';
  if (days <= 365) return '31-days-to-1-year';
  if (days <= 1826) return '1-to-5-years';
  return 'over-5-years';
}

export const PROFILE = {
  total: 'profiled',
  relationship: (r: RelationshipToSuspect): string => `relationship.${r}`,
  domesticAbuse: (f: DomesticAbuseFlag): string => `domesticAbuse.${f}`,
  victimAge: (b: AgeBand): string => `victimAge.${b}`,
  suspectAge: (b: AgeBand): string => `suspectAge.${b}`,
  delay: (b: ReportingDelayBand): string => `reportingDelay.${b}`,
} as const;

const DIMENSIONS = [
  RELATIONSHIPS_TO_SUSPECT.map(PROFILE.relationship),
  DOMESTIC_ABUSE_FLAGS.map(PROFILE.domesticAbuse),
  AGE_BANDS.map(PROFILE.victimAge),
  AGE_BANDS.map(PROFILE.suspectAge),
  REPORTING_DELAY_BANDS.map(PROFILE.delay),
];
/** Each dimension's cells add up to the profiled total: what secondary suppression guards. */
export const PROFILE_TABLE: CellTable = {
  cells: [PROFILE.total, ...DIMENSIONS.flat()],
  groups: DIMENSIONS.map((members) => ({ total: PROFILE.total, members })),
};

/** The counts of the crimes recorded in the period. */
export function problemProfileCountsOf(facts: readonly ProblemProfileFacts[], period: Period): Record<string, number> {
  const cells: Record<string, number> = Object.fromEntries(PROFILE_TABLE.cells.map((name) => [name, 0]));
  const add = (name: string): void => {
    cells[name] = (cells[name] ?? 0) + 1;
  };
  for (const f of facts) {
    if (!inPeriod(f.recordedAt, period)) continue;
    add(PROFILE.total);
    add(PROFILE.relationship(f.relationshipToSuspect));
    add(PROFILE.domesticAbuse(f.domesticAbuse));
    add(PROFILE.victimAge(f.victimAgeBand));
    add(PROFILE.suspectAge(f.suspectAgeBand));
    add(PROFILE.delay(reportingDelayBand(f.offenceDate, f.reportedAt)));
  }
  return cells;
}

export interface ProblemProfile {
  readonly period: Period;
  readonly threshold: number;
  /** The quarters the period is made of: each is suppressed on its own, and a cell is shown only if it is in all. */
  readonly quarters: readonly string[];
  /** Recorded crimes of the period with a profile. */
  readonly profiled: Count;
  readonly relationshipToSuspect: Readonly<Record<RelationshipToSuspect, Count>>;
  readonly domesticAbuse: Readonly<Record<DomesticAbuseFlag, Count>>;
  readonly victimAgeBand: Readonly<Record<AgeBand, Count>>;
  readonly suspectAgeBand: Readonly<Record<AgeBand, Count>>;
  readonly reportingDelay: Readonly<Record<ReportingDelayBand, Count>>;
}

/**
 * A force's problem profile for a period of whole quarters, small counts suppressed as the national measures are
 * (docs/kpis.md, "Suppression across periods"): each quarter's table on its own (primary, then secondary within each
 * dimension), and a period's cell shown only where every quarter shows it, so no two periods can be differenced into
 * a hidden count. A period not made of whole quarters throws NotWholeQuarters.
 */
export function forceProblemProfile(
  facts: readonly ProblemProfileFacts[],
  period: Period,
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): ProblemProfile {
  const quarters = quartersOf(period);
  if (quarters === undefined) {
    throw new NotWholeQuarters(
      `a problem profile's period must be made of whole calendar quarters (${period.from} to ${period.to} is not)`,
    );
  }
  const cells: Record<string, number> = Object.fromEntries(PROFILE_TABLE.cells.map((name) => [name, 0]));
  const hidden = new Map<string, Suppression>();
  for (const quarter of quarters) {
    const counts = problemProfileCountsOf(facts, quarter);
    const { national: hiddenInQuarter } = suppressCells(new Map(), { cells: counts }, threshold, PROFILE_TABLE);
    for (const name of PROFILE_TABLE.cells) {
      cells[name] = (cells[name] ?? 0) + (counts[name] ?? 0);
      const reason = hiddenInQuarter.get(name);
      if (reason === 'primary' || (reason === 'secondary' && !hidden.has(name))) hidden.set(name, reason);
    }
  }
  const count = (name: string): Count => {
    const reason = hidden.get(name);
    return reason ? { suppressed: reason } : { value: cells[name] ?? 0 };
  };
  const by = <V extends string>(values: readonly V[], cell: (v: V) => string): Record<V, Count> =>
    Object.fromEntries(values.map((v) => [v, count(cell(v))])) as Record<V, Count>;
  return {
    period,
    threshold,
    quarters: quarters.map((q) => q.label),
    profiled: count(PROFILE.total),
    relationshipToSuspect: by(RELATIONSHIPS_TO_SUSPECT, PROFILE.relationship),
    domesticAbuse: by(DOMESTIC_ABUSE_FLAGS, PROFILE.domesticAbuse),
    victimAgeBand: by(AGE_BANDS, PROFILE.victimAge),
    suspectAgeBand: by(AGE_BANDS, PROFILE.suspectAge),
    reportingDelay: by(REPORTING_DELAY_BANDS, PROFILE.delay),
  };
}
