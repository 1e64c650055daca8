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
  code === 'national' ? 'England and Wales' : code.split('-').map((word) => (word === 'of' ? word : word[0]!.toUpperCase() + word.slice(1))).join(' ');

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
export const jsonForScript = (value: unknown): string => JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
