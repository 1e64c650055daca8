import { OUTCOME_CODES, WITHDRAWAL_STAGES, type RecordedEvent } from '#contracts';
import {
  factKeysOf,
  foldCaseFacts,
  foldDutyFacts,
  foldOccurrenceFacts,
  foldVictimFacts,
  type CaseFacts,
  type DutyFacts,
  type OccurrenceFacts,
  type VictimFacts,
} from './facts.js';

/** The facts of one scope (a force, or the nation). */
export interface KpiFacts {
  readonly cases: readonly CaseFacts[];
  readonly victims: readonly VictimFacts[];
  readonly duties: readonly DutyFacts[];
  readonly occurrences: readonly OccurrenceFacts[];
}

export const MEDIAN_INTERVALS = ['toReferral', 'toCharge', 'toClosure'] as const;
export type MedianInterval = (typeof MEDIAN_INTERVALS)[number];

/**
 * The additive counts behind every KPI, by cell name (docs/kpis.md defines each), and the samples of days the
 * medians are taken over. Counts of a nation are the sums of its forces' counts; that is what secondary
 * suppression must protect.
 */
export interface KpiCounts {
  readonly cells: Readonly<Record<string, number>>;
  readonly days: Readonly<Record<MedianInterval, readonly number[]>>;
}

/** Cell names. */
export const CELL = {
  recorded: 'cases.recorded',
  closed: 'cases.closed',
  outcome: (code: number): string => `outcome.${code}`,
  closedWithdrawn: 'withdrawal.closedCases',
  withdrawnVictims: 'withdrawal.victims',
  stage: (stage: string): string => `withdrawalStage.${stage}`,
  dutiesDecided: 'victimsCode.decided',
  dutiesMetOnTime: 'victimsCode.metOnTime',
  dutiesMissed: 'victimsCode.missed',
  victimsContacted: 'victims.contacted',
  victimsIsva: 'victims.isvaReferred',
  samples: (interval: MedianInterval): string => `days.${interval}.n`,
} as const;

/** Every cell, in a fixed order. */
export const CELLS: readonly string[] = [
  CELL.recorded,
  CELL.closed,
  ...OUTCOME_CODES.map(CELL.outcome),
  CELL.closedWithdrawn,
  CELL.withdrawnVictims,
  ...WITHDRAWAL_STAGES.map(CELL.stage),
  CELL.dutiesDecided,
  CELL.dutiesMetOnTime,
  CELL.dutiesMissed,
  CELL.victimsContacted,
  CELL.victimsIsva,
  ...MEDIAN_INTERVALS.map(CELL.samples),
];

/** Cells that add up to a total within one scope: a single hidden member could be derived by subtraction. */
export const ADDITIVE_GROUPS: readonly { readonly total: string; readonly members: readonly string[] }[] = [
  { total: CELL.closed, members: OUTCOME_CODES.map(CELL.outcome) },
  { total: CELL.withdrawnVictims, members: WITHDRAWAL_STAGES.map(CELL.stage) },
  { total: CELL.dutiesDecided, members: [CELL.dutiesMetOnTime, CELL.dutiesMissed] },
];

const DAY_MS = 86_400_000;
/** Days between two instants, as a fraction (`(to - from) / 86 400 000 ms`, docs/kpis.md). */
export const daysBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / DAY_MS;

/** A case counts when it was recorded as a crime and not cancelled (an N100 report alone is no crime). */
export function inScope(c: CaseFacts): boolean {
  return c.recordedAt !== null && !c.cancelled;
}

/** The counts of one scope, from its facts. */
export function kpiCountsOf(facts: KpiFacts): KpiCounts {
  const { cells, days } = sumTables([], CELLS, MEDIAN_INTERVALS); // every cell 0, every sample empty
  const add = (name: string): void => {
    cells[name] = (cells[name] ?? 0) + 1;
  };
  const cases = new Map(facts.cases.filter(inScope).map((c) => [c.caseId, c]));
  for (const c of cases.values()) {
    const reported = c.reportedAt ?? c.recordedAt;
    if (reported === null) continue; // never: in scope means recorded
    add(CELL.recorded);
    if (c.referredAt !== null) days.toReferral.push(daysBetween(reported, c.referredAt));
    if (c.chargedAt !== null) days.toCharge.push(daysBetween(reported, c.chargedAt));
    if (c.outcomeCode !== null && c.closedAt !== null) {
      add(CELL.closed);
      add(CELL.outcome(c.outcomeCode));
      days.toClosure.push(daysBetween(reported, c.closedAt));
    }
  }
  const closedWithdrawn = new Set<string>();
  for (const v of facts.victims) {
    const c = cases.get(v.caseId);
    if (!c || v.firstContactAt === null) continue;
    add(CELL.victimsContacted);
    if (v.isvaReferredAt !== null) add(CELL.victimsIsva);
    if (v.withdrawn && c.outcomeCode !== null) {
      closedWithdrawn.add(c.caseId);
      add(CELL.withdrawnVictims);
      add(CELL.stage(v.withdrawalStage ?? 'unknown'));
    }
  }
  cells[CELL.closedWithdrawn] = closedWithdrawn.size;
  for (const d of facts.duties) {
    if (!cases.has(d.caseId)) continue;
    if (d.missed) add(CELL.dutiesMissed);
    else if (d.metOnTime) add(CELL.dutiesMetOnTime);
    else continue;
    add(CELL.dutiesDecided);
  }
  for (const interval of MEDIAN_INTERVALS) cells[CELL.samples(interval)] = days[interval].length;
  return { cells, days };
}

/**
 * Sums of tables of counts (the forces' into the nation's, quarters' into a period's): every cell added, every sample
 * of days put together.
 */
export function sumTables<I extends string>(
  all: readonly { readonly cells: Readonly<Record<string, number>>; readonly days: Readonly<Record<I, readonly number[]>> }[],
  cellNames: readonly string[],
  intervals: readonly I[],
): { cells: Record<string, number>; days: Record<I, number[]> } {
  const cells: Record<string, number> = Object.fromEntries(cellNames.map((name) => [name, 0]));
  const days = Object.fromEntries(intervals.map((interval) => [interval, [] as number[]])) as Record<I, number[]>;
  for (const counts of all) {
    for (const [name, value] of Object.entries(counts.cells)) cells[name] = (cells[name] ?? 0) + value;
    for (const interval of intervals) days[interval].push(...counts.days[interval]);
  }
  return { cells, days };
}

/** The nation's counts: sums of the forces' cells, all forces' samples together. */
export function sumCounts(all: readonly KpiCounts[]): KpiCounts {
  return sumTables(all, CELLS, MEDIAN_INTERVALS);
}

/** Median of a sample (mean of the two middle values when even), in days to one decimal; null when empty. */
export function medianDays(sample: readonly number[]): number | null {
  if (sample.length === 0) return null;
  const sorted = [...sample].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(median * 10) / 10;
}

/** A share to four decimals; null when the denominator is zero. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** Folds a whole history into facts (in memory; the read models fold the same way batch by batch). */
export function foldKpiFacts(events: Iterable<RecordedEvent>): KpiFacts {
  const cases = new Map<string, CaseFacts>();
  const victims = new Map<string, VictimFacts>();
  const duties = new Map<string, DutyFacts>();
  const occurrences = new Map<string, OccurrenceFacts>();
  for (const event of events) {
    const keys = factKeysOf(event);
    if (keys.caseId !== undefined) cases.set(keys.caseId, foldCaseFacts(cases.get(keys.caseId) ?? null, event));
    if (keys.victimId !== undefined) victims.set(keys.victimId, foldVictimFacts(victims.get(keys.victimId) ?? null, event));
    if (keys.dutyId !== undefined) duties.set(keys.dutyId, foldDutyFacts(duties.get(keys.dutyId) ?? null, event));
    if (keys.occurrenceId !== undefined) {
      occurrences.set(keys.occurrenceId, foldOccurrenceFacts(occurrences.get(keys.occurrenceId) ?? null, event));
    }
  }
  return {
    cases: [...cases.values()],
    victims: [...victims.values()],
    duties: [...duties.values()],
    occurrences: [...occurrences.values()],
  };
}
