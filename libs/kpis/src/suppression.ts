import { ADDITIVE_GROUPS, CELLS, kpiCountsOf, type KpiCounts, type KpiFacts } from './aggregate.js';
import { kpiReport, type KpiReport, type Suppression } from './report.js';

export const DEFAULT_SUPPRESSION_THRESHOLD = 10;

/** The cells of a table of counts and the groups of them that add up to a total (what secondary suppression guards). */
export interface CellTable {
  readonly cells: readonly string[];
  readonly groups: readonly { readonly total: string; readonly members: readonly string[] }[];
}
const KPI_TABLE: CellTable = { cells: CELLS, groups: ADDITIVE_GROUPS };

export interface NationalKpis {
  /** Counts below this are suppressed, and every rate or median whose numerator, denominator or sample is. */
  readonly threshold: number;
  readonly national: KpiReport;
  /** Each force with any fact, by force code. */
  readonly forces: Readonly<Record<string, KpiReport>>;
}

/**
 * Decides which cells to hide in a table of scopes (each force, and the nation, whose cells are the sums of the
 * forces'):
 *  1. primary: every cell below the threshold;
 *  2. secondary, repeated until nothing changes:
 *     a. within a scope, where members add up to a shown total (outcome codes to closed cases, withdrawal stages
 *        to withdrawn victims, met on time plus missed to decided duties), a lone hidden member would be the
 *        total minus the rest: the smallest shown member is hidden too;
 *     b. across scopes, the nation's cell is the sum of the forces': where it is shown and exactly one force's
 *        is hidden, the smallest shown force cell is hidden too.
 * Hiding only ever adds, so it ends.
 */
export function suppressCells(
  forces: ReadonlyMap<string, Pick<KpiCounts, 'cells'>>,
  national: Pick<KpiCounts, 'cells'>,
  threshold: number,
  table: CellTable = KPI_TABLE,
): { readonly forces: ReadonlyMap<string, Map<string, Suppression>>; readonly national: Map<string, Suppression> } {
  const { cells: CELLS, groups: ADDITIVE_GROUPS } = table;
  const primary = (counts: Pick<KpiCounts, 'cells'>): Map<string, Suppression> =>
    new Map(CELLS.filter((name) => (counts.cells[name] ?? 0) < threshold).map((name) => [name, 'primary' as const]));
  const hiddenForces = new Map([...forces].map(([force, counts]) => [force, primary(counts)]));
  const hiddenNational = primary(national);
  /** Hides the smallest shown candidate (ties: the first in order). */
  const hideSmallest = (candidates: readonly { value: number; hide: () => void }[]): boolean => {
    const smallest = candidates.reduce<{ value: number; hide: () => void } | undefined>(
      (min, c) => (min === undefined || c.value < min.value ? c : min),
      undefined,
    );
    smallest?.hide();
    return smallest !== undefined;
  };
  const scopes = [
    ...[...forces].map(([force, counts]) => ({ counts, hidden: hiddenForces.get(force)! })),
    { counts: national, hidden: hiddenNational },
  ];
  for (let changed = true; changed;) {
    changed = false;
    for (const { counts, hidden } of scopes) {
      for (const group of ADDITIVE_GROUPS) {
        if (hidden.has(group.total)) continue;
        if (group.members.filter((m) => hidden.has(m)).length !== 1) continue;
        const shown = group.members
          .filter((m) => !hidden.has(m))
          .map((m) => ({ value: counts.cells[m] ?? 0, hide: () => hidden.set(m, 'secondary') }));
        changed = hideSmallest(shown) || changed;
      }
    }
    for (const name of CELLS) {
      if (hiddenNational.has(name)) continue;
      const entries = [...forces.keys()].map((force) => ({ force, hidden: hiddenForces.get(force)! }));
      if (entries.filter((e) => e.hidden.has(name)).length !== 1) continue;
      const shown = entries
        .filter((e) => !e.hidden.has(name))
        .map((e) => ({ value: forces.get(e.force)!.cells[name] ?? 0, hide: () => e.hidden.set(name, 'secondary') }));
      changed = hideSmallest(shown) || changed;
    }
  }
  return { forces: hiddenForces, national: hiddenNational };
}

/** A force's own KPIs: the same definitions, nothing suppressed (the force sees its own data). */
export function forceKpis(facts: KpiFacts): KpiReport {
  return kpiReport(kpiCountsOf(facts));
}
