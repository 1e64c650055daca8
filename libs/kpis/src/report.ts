import { OUTCOME_CODES, WITHDRAWAL_STAGES } from '#contracts';
import { CELL, MEDIAN_INTERVALS, medianDays, ratio, type KpiCounts, type MedianInterval } from './aggregate.js';

/** Why a value is not shown: below the threshold itself, or hidden so that another hidden value cannot be derived. */
export type Suppression = 'primary' | 'secondary';
export type Count = { readonly value: number } | { readonly suppressed: Suppression };
export type Rate =
  { readonly numerator: number; readonly denominator: number; readonly rate: number | null } | { readonly suppressed: Suppression };
export type Median = { readonly n: number; readonly days: number | null } | { readonly suppressed: Suppression };

/** One scope's KPIs (docs/kpis.md). A force sees its own unsuppressed; the national view is suppressed. */
export interface KpiReport {
  readonly cases: { readonly recorded: Count; readonly closed: Count };
  /** Closed cases whose current outcome is 1 (charged/summonsed), over closed cases. */
  readonly chargeRate: Rate;
  /** Per Home Office outcome code: closed cases with that current outcome, over closed cases. */
  readonly outcomeMix: Readonly<Record<string, Rate>>;
  readonly medianDays: Readonly<Record<MedianInterval, Median>>;
  readonly victimWithdrawal: {
    /** Closed cases with a victim whose support is withdrawn (not re-engaged), over closed cases. */
    readonly share: Rate;
    /** Withdrawn victims of closed cases by the stage of their latest withdrawal, over all such victims. */
    readonly stages: Readonly<Record<string, Rate>>;
  };
  /** Update duties met on time, over duties met or missed (a duty met late counts as missed). */
  readonly victimsCodeTimeliness: Rate;
  readonly updateDeadlinesMissed: Count;
  /** Victims referred to an ISVA, over victims contacted. */
  readonly isvaReferralRate: Rate;
}

/** Which cells are hidden, and why; absent cells are shown. */
export type SuppressionMap = ReadonlyMap<string, Suppression>;
const NONE: SuppressionMap = new Map();

/**
 * How a report shows its cells: a count, a rate of two counts, a median of a sample, each hidden (with the reason)
 * when its cell, either of its counts, or its sample-size cell is suppressed.
 */
export function cellViews<I extends string>(
  counts: { readonly cells: Readonly<Record<string, number>>; readonly days: Readonly<Record<I, readonly number[]>> },
  samplesCell: (interval: I) => string,
  hidden: SuppressionMap = NONE,
): {
  readonly count: (name: string) => Count;
  readonly rate: (numerator: string, denominator: string) => Rate;
  readonly median: (interval: I) => Median;
} {
  const cell = (name: string): number => counts.cells[name] ?? 0;
  return {
    count: (name) => {
      const s = hidden.get(name);
      return s ? { suppressed: s } : { value: cell(name) };
    },
    rate: (numerator, denominator) => {
      const s = hidden.get(numerator) ?? hidden.get(denominator);
      return s
        ? { suppressed: s }
        : { numerator: cell(numerator), denominator: cell(denominator), rate: ratio(cell(numerator), cell(denominator)) };
    },
    median: (interval) => {
      const s = hidden.get(samplesCell(interval));
      return s ? { suppressed: s } : { n: counts.days[interval].length, days: medianDays(counts.days[interval]) };
    },
  };
}

/** Builds a scope's report from its counts, hiding the suppressed cells and every rate or median that uses one. */
export function kpiReport(counts: KpiCounts, hidden: SuppressionMap = NONE): KpiReport {
  const { count, rate, median } = cellViews(counts, CELL.samples, hidden);
  return {
    cases: { recorded: count(CELL.recorded), closed: count(CELL.closed) },
    chargeRate: rate(CELL.outcome(1), CELL.closed),
    outcomeMix: Object.fromEntries(OUTCOME_CODES.map((code) => [String(code), rate(CELL.outcome(code), CELL.closed)])),
    medianDays: Object.fromEntries(MEDIAN_INTERVALS.map((interval) => [interval, median(interval)])) as Record<MedianInterval, Median>,
    victimWithdrawal: {
      share: rate(CELL.closedWithdrawn, CELL.closed),
      stages: Object.fromEntries(WITHDRAWAL_STAGES.map((stage) => [stage, rate(CELL.stage(stage), CELL.withdrawnVictims)])),
    },
    victimsCodeTimeliness: rate(CELL.dutiesMetOnTime, CELL.dutiesDecided),
    updateDeadlinesMissed: count(CELL.dutiesMissed),
    isvaReferralRate: rate(CELL.victimsIsva, CELL.victimsContacted),
  };
}
