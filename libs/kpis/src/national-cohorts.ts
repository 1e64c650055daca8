import { inScope, kpiCountsOf, sumCounts, type KpiCounts, type KpiFacts } from './aggregate.js';
import type { Cohort } from './cohort.js';
import { NotWholeQuarters } from './measures.js';
import { kpiReport, type Suppression } from './report.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, suppressCells, type NationalKpis } from './suppression.js';

/** A calendar quarter of recording time by its index (`year * 4 + quarter - 1`), in UTC as the cohorts' instants are. */
const quarterOfInstant = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
};
const quarterStart = (index: number): number => Date.UTC(Math.floor(index / 4), (index % 4) * 3, 1);

/**
 * The quarters a national cohort is made of. A cohort names whole quarters (`recordedFrom` and `recordedTo` both at
 * the first instant of a calendar quarter, UTC), or none, which means every quarter with a case recorded in it.
 * Anything else is refused: two cohorts whose ends differ by less than a quarter could be differenced into the cases
 * recorded between them.
 */
export function cohortQuarters(factsByForce: ReadonlyMap<string, KpiFacts>, cohort: Cohort): readonly number[] {
  const { recordedFrom, recordedTo } = cohort;
  if (recordedFrom === undefined && recordedTo === undefined) {
    const quarters = new Set<number>();
    for (const facts of factsByForce.values())
      for (const c of facts.cases) if (inScope(c)) quarters.add(quarterOfInstant(Date.parse(c.recordedAt as string)));
    return [...quarters].sort((a, b) => a - b);
  }
  const example = 'e.g. recordedFrom=2026-01-01T00:00:00Z&recordedTo=2026-07-01T00:00:00Z';
  if (recordedFrom === undefined || recordedTo === undefined) {
    throw new NotWholeQuarters(`a national cohort gives both recordedFrom and recordedTo, or neither (${example})`);
  }
  const [from, to] = [Date.parse(recordedFrom), Date.parse(recordedTo)];
  const [first, end] = [quarterOfInstant(from), quarterOfInstant(to)];
  if (quarterStart(first) !== from || quarterStart(end) !== to || end <= first) {
    throw new NotWholeQuarters(
      `a national cohort is made of whole calendar quarters, UTC (${example}); ${recordedFrom} to ${recordedTo} is not`,
    );
  }
  return Array.from({ length: end - first }, (_, i) => first + i);
}

/** Each force's facts split by the quarter its cases were recorded in (their victims, duties and occurrences with them). */
function byQuarter(facts: KpiFacts, offence: string | undefined): Map<number, KpiFacts> {
  const quarterOfCase = new Map<string, number>();
  const out = new Map<
    number,
    {
      cases: KpiFacts['cases'][number][];
      victims: KpiFacts['victims'][number][];
      duties: KpiFacts['duties'][number][];
      occurrences: KpiFacts['occurrences'][number][];
    }
  >();
  const of = (q: number) => out.get(q) ?? out.set(q, { cases: [], victims: [], duties: [], occurrences: [] }).get(q)!;
  for (const c of facts.cases) {
    if (!inScope(c) || (offence !== undefined && c.offence !== offence)) continue;
    const q = quarterOfInstant(Date.parse(c.recordedAt as string));
    quarterOfCase.set(c.caseId, q);
    of(q).cases.push(c);
  }
  for (const v of facts.victims) if (quarterOfCase.has(v.caseId)) of(quarterOfCase.get(v.caseId)!).victims.push(v);
  for (const d of facts.duties) if (quarterOfCase.has(d.caseId)) of(quarterOfCase.get(d.caseId)!).duties.push(d);
  for (const o of facts.occurrences) if (quarterOfCase.has(o.caseId)) of(quarterOfCase.get(o.caseId)!).occurrences.push(o);
  return out;
}

const EMPTY: KpiFacts = { cases: [], victims: [], duties: [], occurrences: [] };

/** The stronger of two reasons (primary over secondary), for a cell hidden in any of a cohort's quarters. */
function unionOf(maps: readonly ReadonlyMap<string, Suppression>[]): Map<string, Suppression> {
  const out = new Map<string, Suppression>();
  for (const map of maps) for (const [cell, why] of map) if (out.get(cell) !== 'primary') out.set(cell, why);
  return out;
}

/**
 * The national KPIs of a cohort (docs/kpis.md, "Suppression across periods"): per force and for England and Wales, the
 * cases recorded in whole quarters. Each quarter's table is suppressed on its own (primary, then secondary within and
 * across scopes); a cohort's cell is the sum of its quarters' and is shown only where it is shown in every one of
 * them. So any figure shown is a sum of shown quarter figures, and no two cohorts, however they overlap (the whole
 * history included), can be differenced into a cell that a quarter hides.
 */
export function nationalKpis(
  factsByForce: ReadonlyMap<string, KpiFacts>,
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
  cohort: Cohort = {},
): NationalKpis {
  const quarters = cohortQuarters(factsByForce, cohort);
  const forceCodes = [...factsByForce.keys()].sort((a, b) => a.localeCompare(b));
  const split = new Map(forceCodes.map((force) => [force, byQuarter(factsByForce.get(force)!, cohort.offence)]));
  // A cohort with no case at all is one empty table: every count zero, and so suppressed.
  const tables = (quarters.length === 0 ? [undefined] : quarters).map((q) => {
    const forces = new Map(
      forceCodes.map((force) => [force, kpiCountsOf((q === undefined ? undefined : split.get(force)!.get(q)) ?? EMPTY)]),
    );
    const national = sumCounts([...forces.values()]);
    return { forces, national, hidden: suppressCells(forces, national, threshold) };
  });
  const merged = (counts: readonly KpiCounts[], hidden: readonly ReadonlyMap<string, Suppression>[]) =>
    kpiReport(sumCounts(counts), unionOf(hidden));
  return {
    threshold,
    national: merged(
      tables.map((t) => t.national),
      tables.map((t) => t.hidden.national),
    ),
    forces: Object.fromEntries(
      forceCodes.map((force) => [
        force,
        merged(
          tables.map((t) => t.forces.get(force)!),
          tables.map((t) => t.hidden.forces.get(force)!),
        ),
      ]),
    ),
  };
}
