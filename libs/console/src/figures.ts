import { FORCE_CODES } from '#contracts';
import type { Count, KpiReport, Median, NationalKpis, Rate } from '#kpis';

/** One figure as the console shows it: its text, and the raw value (or the suppression) the tests compare with the API. */
export interface Cell {
  readonly text: string;
  /** `suppressed:primary`, `suppressed:secondary`, `none` (no rate: nothing to divide by) or the number. */
  readonly value: string;
  readonly suppressed: boolean;
  /** The number a chart plots (null: not plotted). */
  readonly plot: number | null;
}

export const SUPPRESSED_TEXT = 'Suppressed';

export function countCell(count: Count): Cell {
  if ('suppressed' in count) return { text: SUPPRESSED_TEXT, value: `suppressed:${count.suppressed}`, suppressed: true, plot: null };
  return { text: count.value.toLocaleString('en-GB'), value: String(count.value), suppressed: false, plot: count.value };
}

export function rateCell(rate: Rate): Cell {
  if ('suppressed' in rate) return { text: SUPPRESSED_TEXT, value: `suppressed:${rate.suppressed}`, suppressed: true, plot: null };
  if (rate.rate === null) return { text: 'No cases', value: 'none', suppressed: false, plot: null };
  const percent = Math.round(rate.rate * 1000) / 10;
  return { text: `${percent.toFixed(1)}%`, value: String(rate.rate), suppressed: false, plot: percent };
}

export function medianCell(median: Median): Cell {
  if ('suppressed' in median) return { text: SUPPRESSED_TEXT, value: `suppressed:${median.suppressed}`, suppressed: true, plot: null };
  if (median.days === null) return { text: 'No cases', value: 'none', suppressed: false, plot: null };
  return { text: `${median.days} days`, value: String(median.days), suppressed: false, plot: median.days };
}

/** The scorecard's columns: which KPI of a report, under which heading. */
export const SCORECARD_COLUMNS = [
  { key: 'recorded', heading: 'Crimes recorded', cell: (r: KpiReport) => countCell(r.cases.recorded) },
  { key: 'closed', heading: 'Cases closed', cell: (r: KpiReport) => countCell(r.cases.closed) },
  { key: 'chargeRate', heading: 'Charge rate', cell: (r: KpiReport) => rateCell(r.chargeRate) },
  { key: 'withdrawal', heading: 'Victim withdrawal', cell: (r: KpiReport) => rateCell(r.victimWithdrawal.share) },
  { key: 'toCharge', heading: 'Median days to charge', cell: (r: KpiReport) => medianCell(r.medianDays.toCharge) },
  { key: 'toClosure', heading: 'Median days to closure', cell: (r: KpiReport) => medianCell(r.medianDays.toClosure) },
] as const;

export type ScorecardKey = (typeof SCORECARD_COLUMNS)[number]['key'];

export interface ScorecardRow {
  readonly force: string;
  readonly name: string;
  /** Null: the force has no facts yet (the API lists only forces with any). */
  readonly cells: Readonly<Record<ScorecardKey, Cell>> | null;
}

export interface Scorecard {
  readonly threshold: number;
  readonly national: ScorecardRow;
  /** Every one of the 43 forces, in the order of the Home Office list. */
  readonly forces: readonly ScorecardRow[];
  readonly suppressedCells: number;
}

const cellsOf = (report: KpiReport): Record<ScorecardKey, Cell> =>
  Object.fromEntries(SCORECARD_COLUMNS.map((column) => [column.key, column.cell(report)])) as Record<ScorecardKey, Cell>;

/** A force code as a name (`avon-somerset` -> `Avon Somerset`): the console has no other list of names. */
export const forceName = (code: string): string =>
  code === 'national'
    ? 'England and Wales'
    : code
        .split('-')
        .map((word) => (word === 'of' ? word : word[0]!.toUpperCase() + word.slice(1)))
        .join(' ');

/** The national scorecard from the API's answer, exactly: every figure or suppression as the API gave it. */
export function scorecard(kpis: NationalKpis): Scorecard {
  const forces = FORCE_CODES.map((force): ScorecardRow => {
    const report = kpis.forces[force];
    return { force, name: forceName(force), cells: report ? cellsOf(report) : null };
  });
  const national: ScorecardRow = { force: 'national', name: forceName('national'), cells: cellsOf(kpis.national) };
  const suppressedCells = [national, ...forces].flatMap((row) => Object.values(row.cells ?? {})).filter((cell) => cell.suppressed).length;
  return { threshold: kpis.threshold, national, forces, suppressedCells };
}

/** JSON for a `<script type="application/json">` block: `<` escaped so that no text can close the element. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');

export interface FunnelPoint {
  readonly force: string;
  readonly name: string;
  /** Closed cases: the denominator. */
  readonly n: number;
  readonly percent: number;
  /** Where the force lies against the national share: inside the 95% limits, between 95% and 99.8%, or outside. */
  readonly position: 'within 95% limits' | 'between 95% and 99.8% limits' | 'outside 99.8% limits';
}

export interface Funnel {
  readonly title: string;
  readonly nationalPercent: number | null;
  readonly points: readonly FunnelPoint[];
  /** Control limits at each n from 1 to the largest force's, in percent: [n, lower 99.8, lower 95, upper 95, upper 99.8]. */
  readonly limits: readonly (readonly [number, number, number, number, number])[];
}

const Z95 = 1.96;
const Z998 = 3.09;
const pct = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 10;

/**
 * A funnel plot of victim withdrawal (closed cases with a withdrawn victim, over closed cases): each force at its number
 * of closed cases, against the national share and its binomial control limits, as official statistics compare areas of
 * different sizes. Only forces whose share the API publishes (not suppressed) are plotted.
 */
export function withdrawalFunnel(kpis: NationalKpis): Funnel {
  const national = kpis.national.victimWithdrawal.share;
  const p = 'suppressed' in national ? null : national.rate;
  const points: FunnelPoint[] = [];
  for (const force of FORCE_CODES) {
    const share = kpis.forces[force]?.victimWithdrawal.share;
    if (!share || 'suppressed' in share || share.rate === null || share.denominator === 0) continue;
    const spread = p === null ? 0 : Math.sqrt((p * (1 - p)) / share.denominator);
    const distance = p === null ? 0 : Math.abs(share.rate - p);
    const position =
      distance <= Z95 * spread ? 'within 95% limits' : distance <= Z998 * spread ? 'between 95% and 99.8% limits' : 'outside 99.8% limits';
    points.push({ force, name: forceName(force), n: share.denominator, percent: pct(share.rate), position });
  }
  const largest = Math.max(10, ...points.map((point) => point.n));
  const limits: [number, number, number, number, number][] = [];
  if (p !== null) {
    for (let n = 1; n <= largest; n += Math.max(1, Math.floor(largest / 200))) {
      const s = Math.sqrt((p * (1 - p)) / n);
      limits.push([n, pct(p - Z998 * s), pct(p - Z95 * s), pct(p + Z95 * s), pct(p + Z998 * s)]);
    }
  }
  return {
    title: 'Victim withdrawal by number of closed cases (funnel plot, %)',
    nationalPercent: p === null ? null : pct(p),
    points,
    limits,
  };
}

export interface Quarter {
  /** `2026-Q4` */
  readonly key: string;
  /** `Oct to Dec 2026` */
  readonly label: string;
  readonly recordedFrom: string;
  readonly recordedTo: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `count` calendar quarters up to and including the one `now` is in, oldest first. */
export function quartersUpTo(now: Date, count: number): Quarter[] {
  const out: Quarter[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - 3 * back, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 1));
    const year = start.getUTCFullYear();
    const q = start.getUTCMonth() / 3 + 1;
    out.push({
      key: `${year}-Q${q}`,
      label: `${MONTHS[start.getUTCMonth()]} to ${MONTHS[start.getUTCMonth() + 2]} ${year}`,
      recordedFrom: start.toISOString(),
      recordedTo: end.toISOString(),
    });
  }
  return out;
}
