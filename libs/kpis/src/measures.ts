import { OUTCOME_CODES, WITHDRAWAL_REASONS, WITHDRAWAL_STAGES } from '#contracts';
import { londonDate } from '#calendar';
import { daysBetween, inScope, sumTables, type KpiFacts } from './aggregate.js';
import { inPeriod, MEASURE_OFFENCE_GROUPS, quartersOf, type MeasureOffenceGroup, type Period } from './period.js';
import { cellViews, type Count, type Median, type Rate, type Suppression } from './report.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, suppressCells, type CellTable } from './suppression.js';

/**
 * The official measures by period (docs/kpis.md, "Measures by period"): what happened in a period, as the Home
 * Office outcome statistics and the rape review scorecards count it, where the cohort KPIs (`kpiCountsOf`) follow
 * the cases recorded in a period through whatever happened to them since.
 */
export const MEASURE_INTERVALS = [
  'recordingToCharge',
  'reportToFirstContact',
  'reportToArrest',
  'reportToInterview',
  'deviceRetention',
  'cpsFileToDecision',
  'reportToAbeInterview',
] as const;
export type MeasureInterval = (typeof MEASURE_INTERVALS)[number];
export const OPEN_AGE_BANDS = ['under6Months', '6To12Months', 'over12Months'] as const;
export type OpenAgeBand = (typeof OPEN_AGE_BANDS)[number];

export const MEASURE = {
  recorded: 'offences.recorded',
  assigned: 'outcomes.assigned',
  outcome: (code: number): string => `outcome.${code}`,
  referrals: 'cps.referrals',
  cpsCharges: 'cps.charges',
  releases: 'releases.total',
  bail: 'releases.bail',
  rui: 'releases.underInvestigation',
  bailLapses: 'bail.lapses',
  withdrawals: 'withdrawals.total',
  reason: (reason: string): string => `withdrawalReason.${reason}`,
  stage: (stage: string): string => `withdrawalStage.${stage}`,
  repeatFlags: 'repeatSuspect.flags',
  disruption: 'disruption.tactics',
  decisions: 'disruption.decisions',
  decisionsNone: 'disruption.decisionsWithoutTactics',
  breaches: 'orders.breaches',
  open: 'open.total',
  band: (band: OpenAgeBand): string => `open.${band}`,
  samples: (interval: MeasureInterval): string => `days.${interval}.n`,
} as const;

/** Cells that are a stock at the period's end (open caseload), not a count of what happened in it. */
export const STOCK_CELLS: readonly string[] = [MEASURE.open, ...OPEN_AGE_BANDS.map(MEASURE.band)];

export const MEASURE_TABLE: CellTable = {
  cells: [
    MEASURE.recorded,
    MEASURE.assigned,
    ...OUTCOME_CODES.map(MEASURE.outcome),
    MEASURE.referrals,
    MEASURE.cpsCharges,
    MEASURE.releases,
    MEASURE.bail,
    MEASURE.rui,
    MEASURE.bailLapses,
    MEASURE.withdrawals,
    ...WITHDRAWAL_REASONS.map(MEASURE.reason),
    ...WITHDRAWAL_STAGES.map(MEASURE.stage),
    MEASURE.repeatFlags,
    MEASURE.disruption,
    MEASURE.decisions,
    MEASURE.decisionsNone,
    MEASURE.breaches,
    ...STOCK_CELLS,
    ...MEASURE_INTERVALS.map(MEASURE.samples),
  ],
  groups: [
    { total: MEASURE.assigned, members: OUTCOME_CODES.map(MEASURE.outcome) },
    { total: MEASURE.releases, members: [MEASURE.bail, MEASURE.rui] },
    { total: MEASURE.withdrawals, members: WITHDRAWAL_REASONS.map(MEASURE.reason) },
    { total: MEASURE.withdrawals, members: WITHDRAWAL_STAGES.map(MEASURE.stage) },
    { total: MEASURE.open, members: OPEN_AGE_BANDS.map(MEASURE.band) },
  ],
};

export interface MeasureCounts {
  readonly cells: Readonly<Record<string, number>>;
  readonly days: Readonly<Record<MeasureInterval, readonly number[]>>;
}

/** The date `months` calendar months before `date` (the day of month kept: only ever compared as text). */
function monthsBefore(date: string, months: number): string {
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}${date.slice(7)}`;
}

/** The counts of one scope in one period and offence group, from its facts. */
export function measureCountsOf(facts: KpiFacts, period: Period, offences: MeasureOffenceGroup = 'all'): MeasureCounts {
  const { cells, days } = sumTables([], MEASURE_TABLE.cells, MEASURE_INTERVALS); // every cell 0, every sample empty
  const add = (name: string): void => {
    cells[name] = (cells[name] ?? 0) + 1;
  };
  const group: ReadonlySet<string> = new Set(MEASURE_OFFENCE_GROUPS[offences]);
  const cases = new Map(facts.cases.filter((c) => inScope(c) && c.offence !== null && group.has(c.offence)).map((c) => [c.caseId, c]));
  const sixMonths = monthsBefore(period.to, 6);
  const twelveMonths = monthsBefore(period.to, 12);
  for (const c of cases.values()) {
    const recordedAt = c.recordedAt as string;
    const reportedAt = c.reportedAt ?? recordedAt;
    if (inPeriod(recordedAt, period)) add(MEASURE.recorded);
    if (c.outcomeCode !== null && inPeriod(c.closedAt, period)) {
      add(MEASURE.assigned);
      add(MEASURE.outcome(c.outcomeCode));
      if (c.outcomeCode === 1 && c.chargedAt !== null) days.recordingToCharge.push(daysBetween(recordedAt, c.chargedAt));
    }
    if (inPeriod(c.referredAt, period)) add(MEASURE.referrals);
    if (c.firstArrestAt !== null && inPeriod(c.firstArrestAt, period)) days.reportToArrest.push(daysBetween(reportedAt, c.firstArrestAt));
    if (c.firstInterviewAt !== null && inPeriod(c.firstInterviewAt, period)) {
      days.reportToInterview.push(daysBetween(reportedAt, c.firstInterviewAt));
    }
    const recorded = londonDate(recordedAt);
    const openAtEnd = recorded <= period.to && (c.closedAt === null || londonDate(c.closedAt) > period.to);
    if (openAtEnd) {
      add(MEASURE.open);
      add(MEASURE.band(recorded <= twelveMonths ? 'over12Months' : recorded <= sixMonths ? '6To12Months' : 'under6Months'));
    }
  }
  for (const v of facts.victims) {
    const c = cases.get(v.caseId);
    if (c === undefined || v.firstContactAt === null || !inPeriod(v.firstContactAt, period)) continue;
    days.reportToFirstContact.push(daysBetween(c.reportedAt ?? (c.recordedAt as string), v.firstContactAt));
  }
  // A victim's first video-recorded (ABE) interview conducted in the period, from the report (docs/kpis.md).
  for (const v of facts.victims) {
    const c = cases.get(v.caseId);
    if (c === undefined || v.abeInterviewAt === null || !inPeriod(v.abeInterviewAt, period)) continue;
    days.reportToAbeInterview.push(daysBetween(c.reportedAt ?? (c.recordedAt as string), v.abeInterviewAt));
  }
  for (const o of facts.occurrences) {
    if (!cases.has(o.caseId) || !inPeriod(o.at, period)) continue;
    switch (o.kind) {
      case 'cps-charge':
        add(MEASURE.cpsCharges);
        break;
      case 'bail':
      case 'released-under-investigation':
        add(MEASURE.releases);
        add(o.kind === 'bail' ? MEASURE.bail : MEASURE.rui);
        break;
      case 'withdrawal':
        add(MEASURE.withdrawals);
        add(MEASURE.reason(o.category ?? 'other'));
        add(MEASURE.stage(o.stage ?? 'reporting'));
        break;
      case 'bail-lapse':
        add(MEASURE.bailLapses);
        break;
      case 'cps-decision':
        // A decision on one suspect (issue 13): a charge counts among the CPS's charges; every decision is timed.
        if (o.category === 'charge') add(MEASURE.cpsCharges);
        if (o.since !== null && o.at !== null) days.cpsFileToDecision.push(daysBetween(o.since, o.at));
        break;
      case 'repeat-suspect-flag':
        add(MEASURE.repeatFlags);
        break;
      case 'disruption-tactic':
        add(MEASURE.disruption);
        break;
      case 'disruption-decision':
        add(MEASURE.decisions);
        if (o.category === 'none') add(MEASURE.decisionsNone);
        break;
      case 'order-breach':
        add(MEASURE.breaches);
        break;
      case 'device':
        if (o.since !== null && o.at !== null) days.deviceRetention.push(daysBetween(o.since, o.at));
        break;
    }
  }
  for (const interval of MEASURE_INTERVALS) cells[MEASURE.samples(interval)] = days[interval].length;
  return { cells, days };
}

/** One scope's measures in a period (docs/kpis.md defines each beside its official counterpart). */
export interface MeasuresReport {
  readonly offencesRecorded: Count;
  /** Outcomes assigned in the period, whenever the crime was recorded (the current outcome of each crime). */
  readonly outcomesAssigned: { readonly total: Count; readonly byCode: Readonly<Record<string, Rate>> };
  /** Charge/summons outcomes (1) assigned in the period over offences recorded in the period. */
  readonly chargeRate: Rate;
  /** Evidential difficulties: outcomes 14, 15 and 16 over outcomes assigned in the period. */
  readonly evidentialDifficulties: { readonly '14': Rate; readonly '15': Rate; readonly '16': Rate };
  /** Crimes first referred to the CPS for a charging decision in the period (early advice is not a referral). */
  readonly referralsForChargingDecision: Count;
  /** CPS decisions to charge made in the period: on a whole file, or on one suspect. */
  readonly cpsCharges: Count;
  readonly medianDays: Readonly<Record<MeasureInterval, Median>>;
  /** Recorded crimes still open at the period's last day, by how long since they were recorded. */
  readonly openCaseload: { readonly total: Count } & Readonly<Record<OpenAgeBand, Count>>;
  /** Releases in the period: on pre-charge bail, or under investigation, over both. */
  readonly releases: { readonly total: Count; readonly bail: Rate; readonly underInvestigation: Rate };
  /** Pre-charge bails that lapsed in the period (their last day passed with no extension). */
  readonly bailLapses: Count;
  readonly withdrawals: {
    readonly total: Count;
    readonly byReason: Readonly<Record<string, Rate>>;
    readonly byStage: Readonly<Record<string, Rate>>;
  };
  readonly repeatSuspectFlags: Count;
  readonly disruptionTactics: Count;
  /** Disruption decisions recorded in the period after a review of a repeat suspect; those choosing no tactic, over all. */
  readonly disruptionDecisions: { readonly total: Count; readonly withoutTactics: Rate };
  /** Breaches of court orders (DAPO, SPO, SHPO, SRO) that happened in the period. */
  readonly orderBreaches: Count;
}

export function measuresReport(counts: MeasureCounts, hidden: ReadonlyMap<string, Suppression> = new Map()): MeasuresReport {
  const { count, rate, median } = cellViews(counts, MEASURE.samples, hidden);
  const share = (code: number): Rate => rate(MEASURE.outcome(code), MEASURE.assigned);
  return {
    offencesRecorded: count(MEASURE.recorded),
    outcomesAssigned: {
      total: count(MEASURE.assigned),
      byCode: Object.fromEntries(OUTCOME_CODES.map((code) => [String(code), share(code)])),
    },
    chargeRate: rate(MEASURE.outcome(1), MEASURE.recorded),
    evidentialDifficulties: { '14': share(14), '15': share(15), '16': share(16) },
    referralsForChargingDecision: count(MEASURE.referrals),
    cpsCharges: count(MEASURE.cpsCharges),
    medianDays: Object.fromEntries(MEASURE_INTERVALS.map((i) => [i, median(i)])) as Record<MeasureInterval, Median>,
    openCaseload: {
      total: count(MEASURE.open),
      ...(Object.fromEntries(OPEN_AGE_BANDS.map((band) => [band, count(MEASURE.band(band))])) as Record<OpenAgeBand, Count>),
    },
    releases: {
      total: count(MEASURE.releases),
      bail: rate(MEASURE.bail, MEASURE.releases),
      underInvestigation: rate(MEASURE.rui, MEASURE.releases),
    },
    bailLapses: count(MEASURE.bailLapses),
    withdrawals: {
      total: count(MEASURE.withdrawals),
      byReason: Object.fromEntries(WITHDRAWAL_REASONS.map((r) => [r, rate(MEASURE.reason(r), MEASURE.withdrawals)])),
      byStage: Object.fromEntries(WITHDRAWAL_STAGES.map((s) => [s, rate(MEASURE.stage(s), MEASURE.withdrawals)])),
    },
    repeatSuspectFlags: count(MEASURE.repeatFlags),
    disruptionTactics: count(MEASURE.disruption),
    disruptionDecisions: { total: count(MEASURE.decisions), withoutTactics: rate(MEASURE.decisionsNone, MEASURE.decisions) },
    orderBreaches: count(MEASURE.breaches),
  };
}

export interface MeasuresScope {
  readonly period: Period;
  readonly offences: MeasureOffenceGroup;
}

/** A force's own measures: nothing suppressed, any period. */
export function forceMeasures(facts: KpiFacts, period: Period, offences: MeasureOffenceGroup = 'all'): MeasuresScope & MeasuresReport {
  return { period, offences, ...measuresReport(measureCountsOf(facts, period, offences)) };
}

export interface NationalMeasures extends MeasuresScope {
  readonly threshold: number;
  /** The quarters the period is made of: each is suppressed on its own, and the period shows a cell only if all do. */
  readonly quarters: readonly string[];
  readonly national: MeasuresReport;
  readonly forces: Readonly<Record<string, MeasuresReport>>;
}

/** Thrown for a national period that is not made of whole quarters (the caller answers 422 naming `/period`). */
export class NotWholeQuarters extends Error {}

/**
 * The national measures, per force and for England and Wales, small counts suppressed so that no two requests,
 * however their periods overlap, can be differenced into a hidden cell (docs/kpis.md, "Suppression across periods"):
 * a national period is made of whole quarters; each quarter's table is suppressed on its own (primary, then
 * secondary within and across scopes, as the cohort KPIs are); a period's count is shown only where every one of
 * its quarters shows it, so a shown count is always the sum of shown quarter counts and a difference of two shown
 * periods is a sum of shown quarters. The open caseload is the last quarter's (a stock at the period's end).
 */
export function nationalMeasures(
  factsByForce: ReadonlyMap<string, KpiFacts>,
  period: Period,
  offences: MeasureOffenceGroup = 'all',
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): NationalMeasures {
  const quarters = quartersOf(period);
  if (quarters === undefined) {
    throw new NotWholeQuarters(`a national period must be made of whole calendar quarters (${period.from} to ${period.to} is not)`);
  }
  const forceCodes = [...factsByForce.keys()].sort((a, b) => a.localeCompare(b));
  const tables = quarters.map((q) => {
    const forces = new Map(forceCodes.map((force) => [force, measureCountsOf(factsByForce.get(force)!, q, offences)]));
    const national = sumMeasureCounts([...forces.values()]);
    return { forces, national, hidden: suppressCells(forces, national, threshold, MEASURE_TABLE) };
  });
  const last = tables.length - 1;
  const merge = (pick: (t: (typeof tables)[number]) => { counts: MeasureCounts; hidden: ReadonlyMap<string, Suppression> }) => {
    const parts = tables.map(pick);
    const hidden = new Map<string, Suppression>();
    for (const name of MEASURE_TABLE.cells) {
      const reasons = STOCK_CELLS.includes(name) ? [parts[last]!.hidden.get(name)] : parts.map((p) => p.hidden.get(name));
      if (reasons.includes('primary')) hidden.set(name, 'primary');
      else if (reasons.includes('secondary')) hidden.set(name, 'secondary');
    }
    const summed = sumMeasureCounts(parts.map((p) => p.counts));
    const cells = { ...summed.cells, ...Object.fromEntries(STOCK_CELLS.map((name) => [name, parts[last]!.counts.cells[name] ?? 0])) };
    return measuresReport({ cells, days: summed.days }, hidden);
  };
  return {
    period,
    offences,
    threshold,
    quarters: quarters.map((q) => q.label),
    national: merge((t) => ({ counts: t.national, hidden: t.hidden.national })),
    forces: Object.fromEntries(
      forceCodes.map((force) => [force, merge((t) => ({ counts: t.forces.get(force)!, hidden: t.hidden.forces.get(force)! }))]),
    ),
  };
}

/** Sums of counts, all samples together. */
export function sumMeasureCounts(all: readonly MeasureCounts[]): MeasureCounts {
  return sumTables(all, MEASURE_TABLE.cells, MEASURE_INTERVALS);
}
