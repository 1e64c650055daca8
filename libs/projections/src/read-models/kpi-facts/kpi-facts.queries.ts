import type { KpiFacts } from '#kpis';
import { viewRow, type ViewReader } from '../query.js';
import { KPI_CASES, KPI_DUTIES, KPI_OCCURRENCES, KPI_VICTIMS } from './kpi-facts.table.js';

/** Every fact row of the reader's views (a force's, or the nation's), typed as the KPI functions take them. */
export async function kpiFacts(db: ViewReader): Promise<KpiFacts> {
  const all = (base: string) => db.query<Record<string, unknown>>(`SELECT * FROM ${db.view(base)}`);
  const [cases, victims, duties, occurrences] = await Promise.all([
    all(KPI_CASES.base),
    all(KPI_VICTIMS.base),
    all(KPI_DUTIES.base),
    all(KPI_OCCURRENCES.base),
  ]);
  return {
    cases: cases.map((r) => viewRow<KpiFacts['cases'][number]>(r)),
    victims: victims.map((r) => viewRow<KpiFacts['victims'][number]>(r)),
    duties: duties.map((r) => viewRow<KpiFacts['duties'][number]>(r)),
    occurrences: occurrences.map((r) => viewRow<KpiFacts['occurrences'][number]>(r)),
  };
}

/** Fact rows by the force each belongs to (the national views hold every force's). */
export function kpiFactsByForce(facts: KpiFacts): Map<string, KpiFacts> {
  const byForce = new Map<
    string,
    {
      cases: KpiFacts['cases'][number][];
      victims: KpiFacts['victims'][number][];
      duties: KpiFacts['duties'][number][];
      occurrences: KpiFacts['occurrences'][number][];
    }
  >();
  const of = (force: string) =>
    byForce.get(force) ?? byForce.set(force, { cases: [], victims: [], duties: [], occurrences: [] }).get(force)!;
  for (const c of facts.cases) of(c.force).cases.push(c);
  for (const v of facts.victims) of(v.force).victims.push(v);
  for (const d of facts.duties) of(d.force).duties.push(d);
  for (const o of facts.occurrences) of(o.force).occurrences.push(o);
  return byForce;
}
