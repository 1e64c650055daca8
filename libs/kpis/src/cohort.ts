import type { KpiFacts } from './aggregate.js';

/** Which cases a KPI report covers: those recorded in [recordedFrom, recordedTo) and of one offence group. */
export interface Cohort {
  /** Inclusive, ISO 8601 instant. */
  readonly recordedFrom?: string;
  /** Exclusive, ISO 8601 instant. */
  readonly recordedTo?: string;
  readonly offence?: string;
}

/**
 * The facts of a cohort of cases (docs/kpis.md, "Periods and offence groups"): the cases recorded in the period and of
 * the offence group, with everything that has happened to them since (closures, outcomes, victims, duties), so a
 * quarter's charge rate is that quarter's cases' and it firms up as they close. An empty cohort is no filter.
 */
export function cohortOf(facts: KpiFacts, cohort: Cohort): KpiFacts {
  if (cohort.recordedFrom === undefined && cohort.recordedTo === undefined && cohort.offence === undefined) return facts;
  const from = cohort.recordedFrom === undefined ? Number.NEGATIVE_INFINITY : Date.parse(cohort.recordedFrom);
  const to = cohort.recordedTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(cohort.recordedTo);
  const cases = facts.cases.filter((c) => {
    if (cohort.offence !== undefined && c.offence !== cohort.offence) return false;
    if (cohort.recordedFrom === undefined && cohort.recordedTo === undefined) return true;
    const recorded = c.recordedAt === null ? Number.NaN : Date.parse(c.recordedAt);
    return recorded >= from && recorded < to;
  });
  const ids = new Set(cases.map((c) => c.caseId));
  return {
    cases,
    victims: facts.victims.filter((v) => ids.has(v.caseId)),
    duties: facts.duties.filter((d) => ids.has(d.caseId)),
    occurrences: facts.occurrences.filter((o) => ids.has(o.caseId)),
  };
}
