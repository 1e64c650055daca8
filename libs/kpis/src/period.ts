import { OFFENCE_GROUPS, type OffenceGroup } from '#contracts';
import { addDays, isIsoDate, londonDate, type IsoDate } from '#calendar';

/**
 * A period of whole UK calendar days, `from` and `to` both included (docs/kpis.md, "Measures by period"): what the
 * Home Office outcome statistics and the rape review scorecards count in. An instant belongs to the period when its
 * date in London falls in it (a quarter begins at midnight UK time, BST or not).
 */
export interface Period {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** `2025-Q3`, `FY2024-25`, `12 months to 2025-09-30`, or `2025-05-01 to 2025-06-15`. */
  readonly label: string;
}

/** Why a period or offence group asked for is refused: the query parameter and the reason (a 422 names both). */
export class PeriodError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

/**
 * The offence groups the official measures are shown for: adult rape (19C and 19F) always apart from the rest,
 * the rape of children under 16 (19D, 19E, 19G, 19H), the other sexual offences, and all of them.
 */
export const MEASURE_OFFENCE_GROUPS = {
  'adult-rape': ['rape-of-female-16-plus', 'rape-of-male-16-plus'],
  'child-rape': ['rape-of-female-under-16', 'rape-of-female-under-13', 'rape-of-male-under-16', 'rape-of-male-under-13'],
  'other-sexual-offences': ['sexual-assault', 'sexual-activity-with-child', 'other-sexual-offence'],
  all: OFFENCE_GROUPS,
} as const satisfies Record<string, readonly OffenceGroup[]>;
export type MeasureOffenceGroup = keyof typeof MEASURE_OFFENCE_GROUPS;
export const MEASURE_OFFENCE_GROUP_NAMES = Object.keys(MEASURE_OFFENCE_GROUPS) as MeasureOffenceGroup[];

export function parseOffenceGroup(raw: string | undefined): MeasureOffenceGroup {
  if (raw === undefined) return 'all';
  if ((MEASURE_OFFENCE_GROUP_NAMES as string[]).includes(raw)) return raw as MeasureOffenceGroup;
  throw new PeriodError('/offences', `must be one of ${MEASURE_OFFENCE_GROUP_NAMES.join(', ')}`);
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const FINANCIAL_YEAR = /^FY(\d{4})-(\d{2})$/;
export const ROLLING_YEAR = 'rolling-12-months';

const pad = (n: number): string => String(n).padStart(2, '0');
const quarterStart = (year: number, q: number): IsoDate => `${year}-${pad(3 * (q - 1) + 1)}-01`;

/** The calendar quarter `2025-Q3` (July to September 2025). */
export function quarter(year: number, q: number): Period {
  const next = q === 4 ? quarterStart(year + 1, 1) : quarterStart(year, q + 1);
  return { from: quarterStart(year, q), to: addDays(next, -1), label: `${year}-Q${q}` };
}

/** The quarter a date falls in. */
export function quarterOf(date: IsoDate): Period {
  return quarter(Number(date.slice(0, 4)), Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1);
}

/**
 * The period a query asks for: `period` (`2025-Q3`; `FY2024-25`, April to March; `rolling-12-months`, the four
 * latest complete quarters before today) or `from` and `to` (dates, both included). Neither: the rolling year.
 * `today` is the UK date of the injected clock (ADR 0018), never the machine's.
 */
export function parsePeriod(query: { period?: string; from?: string; to?: string }, today: IsoDate): Period {
  const { period, from, to } = query;
  if (period !== undefined && (from !== undefined || to !== undefined)) {
    throw new PeriodError('/period', 'is given with from/to: ask for one or the other');
  }
  if (from !== undefined || to !== undefined) {
    if (from === undefined || !isIsoDate(from)) throw new PeriodError('/from', 'must be a date YYYY-MM-DD (the first day of the period)');
    if (to === undefined || !isIsoDate(to))
      throw new PeriodError('/to', 'must be a date YYYY-MM-DD (the last day of the period, included)');
    if (to < from) throw new PeriodError('/to', `is before from (${from})`);
    return { from, to, label: `${from} to ${to}` };
  }
  const p = period ?? ROLLING_YEAR;
  const q = QUARTER.exec(p);
  if (q) return quarter(Number(q[1]), Number(q[2]));
  const fy = FINANCIAL_YEAR.exec(p);
  if (fy && (Number(fy[1]) + 1) % 100 === Number(fy[2])) {
    const year = Number(fy[1]);
    return { from: `${year}-04-01`, to: `${year + 1}-03-31`, label: p };
  }
  if (p === ROLLING_YEAR) {
    const current = quarterOf(today);
    const to = addDays(current.from, -1);
    const from = `${Number(current.from.slice(0, 4)) - 1}${current.from.slice(4)}`;
    return { from, to, label: `12 months to ${to}` };
  }
  throw new PeriodError('/period', `must be a quarter (2025-Q3), a financial year (FY2024-25) or ${ROLLING_YEAR}`);
}

/** The quarters a period is made of, when it is made of whole quarters; undefined otherwise. */
export function quartersOf(period: Period): readonly Period[] | undefined {
  const quarters: Period[] = [];
  let q = quarterOf(period.from);
  if (q.from !== period.from) return undefined;
  while (q.to < period.to) {
    quarters.push(q);
    q = quarterOf(addDays(q.to, 1));
  }
  if (q.to !== period.to) return undefined;
  quarters.push(q);
  return quarters;
}

/** Whether an instant's UK date falls in the period. */
export function inPeriod(instant: string | null, period: Period): boolean {
  if (instant === null) return false;
  const date = londonDate(instant);
  return date >= period.from && date <= period.to;
}
