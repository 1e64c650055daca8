import type pg from 'pg';
import { FORCE_CODES } from '#contracts';
import { CELL, kpiCountsOf, type CaseFacts, type DutyFacts, type KpiFacts, type VictimFacts } from '#kpis';

/** A share that is published, or withheld because its denominator is too small (ADR 0015). */
export type Measure = { readonly met: number; readonly total: number; readonly share: number } | { readonly suppressed: true };

/** The model's rules whose observance the national view measures, each as a share of the occasions it applied. */
export interface ConformanceRules {
  /** Victims' Code right 6: update duties met within their deadline, of duties met or missed (the KPI "Victims' Code timeliness"). */
  readonly victimUpdatesOnTime: Measure;
  /**
   * Suspect-focused: cases whose first charging decision followed a recorded arrest, interview, history check,
   * disruption tactic or civil-order application.
   */
  readonly chargesAfterSuspectFocusedAction: Measure;
  /** Victims referred to an ISVA, of victims contacted (the KPI "ISVA referral rate"). */
  readonly victimsReferredToIsva: Measure;
  /** Pre-charge bail grants and condition changes where the victim's views were sought. */
  readonly bailWithVictimViewsSought: Measure;
}

export interface ForceConformance {
  readonly force: string;
  readonly modelVersion: {
    /** The version the force last adopted (learning's model-version-adopted event), if any. */
    readonly adopted: { readonly version: string; readonly adoptedAt: string } | null;
    /** The versions stamped on its events (the version in force when each fact happened, ADR 0043), with how many events carry each. */
    readonly stamped: readonly { readonly version: string; readonly events: number }[];
  };
  readonly rules: ConformanceRules;
}

export interface ConformanceReport {
  /**
   * Shares whose occasions, met or missed counts are below this are suppressed, with secondary suppression across
   * forces (NOM_KPI_SUPPRESSION_THRESHOLD).
   */
  readonly suppressionThreshold: number;
  /** Global position of the last event counted. */
  readonly position: string;
  readonly forces: readonly ForceConformance[];
  readonly national: ConformanceRules;
}

export interface Counts {
  readonly met: number;
  readonly total: number;
}
export type RuleCounts = Record<keyof ConformanceRules, Counts>;

const RULES: readonly (keyof ConformanceRules)[] = [
  'victimUpdatesOnTime',
  'chargesAfterSuspectFocusedAction',
  'victimsReferredToIsva',
  'bailWithVictimViewsSought',
];

/**
 * Primary suppression of one share: hidden when the occasions, the occasions met or the occasions missed (a count
 * as telling as the met ones: `total - met`) are below the threshold.
 */
export function isSmall(counts: Counts | undefined, threshold: number): boolean {
  return !counts || counts.total < threshold || counts.met < threshold || counts.total - counts.met < threshold;
}

export function measure(counts: Counts | undefined, hidden: boolean): Measure {
  if (!counts || hidden) return { suppressed: true };
  return { met: counts.met, total: counts.total, share: Math.round((counts.met / counts.total) * 10_000) / 10_000 };
}

/**
 * Suppresses the report's shares as the national KPIs do (docs/kpis.md): primary by `isSmall`; then secondary
 * across forces: the national counts are the sums of the forces', so where the nation's share is shown and exactly
 * one force's is hidden, that force's counts would be the nation's minus the rest: the smallest shown force share
 * (by occasions) is hidden too, until no force's hidden share can be derived.
 */
export function suppressConformance(
  byForce: ReadonlyMap<string, Partial<RuleCounts>>,
  national: Partial<RuleCounts>,
  threshold: number,
): { readonly forces: Map<string, ConformanceRules>; readonly national: ConformanceRules } {
  const hidden = new Map(
    [...byForce.keys()].map((force) => [force, new Set(RULES.filter((rule) => isSmall(byForce.get(force)![rule], threshold)))]),
  );
  const nationalHidden = new Set(RULES.filter((rule) => isSmall(national[rule], threshold)));
  for (const rule of RULES) {
    if (nationalHidden.has(rule)) continue;
    // Forces with occasions for this rule: a force without any adds nothing to the nation's sum.
    const withData = [...byForce]
      .filter(([, counts]) => counts[rule] !== undefined)
      .map(([force, counts]) => ({ force, total: counts[rule]!.total }));
    for (;;) {
      const shown = withData.filter((f) => !hidden.get(f.force)!.has(rule));
      if (withData.length - shown.length !== 1 || shown.length === 0) break;
      const smallest = shown.reduce((min, f) => (f.total < min.total ? f : min));
      hidden.get(smallest.force)!.add(rule);
    }
  }
  const rules = (counts: Partial<RuleCounts>, off: ReadonlySet<keyof ConformanceRules>): ConformanceRules => ({
    victimUpdatesOnTime: measure(counts.victimUpdatesOnTime, off.has('victimUpdatesOnTime')),
    chargesAfterSuspectFocusedAction: measure(counts.chargesAfterSuspectFocusedAction, off.has('chargesAfterSuspectFocusedAction')),
    victimsReferredToIsva: measure(counts.victimsReferredToIsva, off.has('victimsReferredToIsva')),
    bailWithVictimViewsSought: measure(counts.bailWithVictimViewsSought, off.has('bailWithVictimViewsSought')),
  });
  return {
    forces: new Map([...byForce].map(([force, counts]) => [force, rules(counts, hidden.get(force)!)])),
    national: rules(national, nationalHidden),
  };
}

/**
 * The rules that are KPIs, counted by the KPI definitions (#kpis `kpiCountsOf`, docs/kpis.md) over one force's
 * facts: a rule with no occasion is left out.
 */
export function kpiRuleCounts(facts: KpiFacts): Partial<RuleCounts> {
  const { cells } = kpiCountsOf(facts);
  const counts: Partial<RuleCounts> = {};
  const decided = cells[CELL.dutiesDecided] ?? 0;
  const contacted = cells[CELL.victimsContacted] ?? 0;
  if (decided > 0) counts.victimUpdatesOnTime = { met: cells[CELL.dutiesMetOnTime] ?? 0, total: decided };
  if (contacted > 0) counts.victimsReferredToIsva = { met: cells[CELL.victimsIsva] ?? 0, total: contacted };
  return counts;
}

/** Counts per force and rule, from the national schema's facts. */
export async function ruleCounts(db: pg.Pool, schema: string): Promise<Map<string, Partial<RuleCounts>>> {
  const byForce = new Map<string, Partial<RuleCounts>>();
  const facts = new Map<string, { cases: CaseFacts[]; victims: VictimFacts[]; duties: DutyFacts[]; occurrences: [] }>();
  const { rows: factRows } = await db.query<{
    kind: 'case' | 'victim' | 'duty';
    force: string;
    facts: CaseFacts & VictimFacts & DutyFacts;
  }>(`SELECT kind, force, facts FROM ${schema}.kpi_facts`);
  for (const row of factRows) {
    const f = facts.get(row.force) ?? facts.set(row.force, { cases: [], victims: [], duties: [], occurrences: [] }).get(row.force)!;
    if (row.kind === 'case') f.cases.push(row.facts);
    else if (row.kind === 'victim') f.victims.push(row.facts);
    else f.duties.push(row.facts);
  }
  for (const [force, f] of facts) {
    const counts = kpiRuleCounts(f);
    if (Object.keys(counts).length > 0) byForce.set(force, counts);
  }
  const queries: [keyof ConformanceRules, string][] = [
    [
      'chargesAfterSuspectFocusedAction',
      `SELECT c.force, count(*) FILTER (WHERE a.first_action_at < c.first_decision_at) AS met, count(*) AS total
       FROM ${schema}.case_charging c LEFT JOIN ${schema}.case_suspect_actions a ON a.case_id = c.case_id GROUP BY c.force`,
    ],
    [
      'bailWithVictimViewsSought',
      `SELECT force, count(*) FILTER (WHERE victim_views_sought) AS met, count(*) AS total FROM ${schema}.bail_decisions GROUP BY force`,
    ],
  ];
  for (const [rule, sql] of queries) {
    const { rows } = await db.query<{ force: string; met: string; total: string }>(sql);
    for (const row of rows) {
      const counts = byForce.get(row.force) ?? {};
      counts[rule] = { met: Number(row.met), total: Number(row.total) };
      byForce.set(row.force, counts);
    }
  }
  return byForce;
}

/** The national conformance report: per force (forces with any data), and nationally; no personal data. */
export async function conformanceReport(db: pg.Pool, schema: string, threshold: number, position: bigint): Promise<ConformanceReport> {
  const counts = await ruleCounts(db, schema);
  const { rows: adoptions } = await db.query<{ force: string; version: string; adopted_at: Date }>(
    `SELECT force, version, adopted_at FROM ${schema}.model_adoptions`,
  );
  const { rows: stamps } = await db.query<{ force: string; model_version: string; events: string }>(
    `SELECT force, model_version, events FROM ${schema}.model_stamps ORDER BY force, model_version`,
  );
  const forces = FORCE_CODES.filter((f) => counts.has(f) || adoptions.some((a) => a.force === f) || stamps.some((s) => s.force === f));
  const national: Partial<RuleCounts> = {};
  for (const perForce of counts.values()) {
    for (const [rule, c] of Object.entries(perForce) as [keyof ConformanceRules, Counts][]) {
      const sum = national[rule] ?? { met: 0, total: 0 };
      national[rule] = { met: sum.met + c.met, total: sum.total + c.total };
    }
  }
  const suppressed = suppressConformance(counts, national, threshold);
  return {
    suppressionThreshold: threshold,
    position: position.toString(),
    forces: forces.map((force) => {
      const adopted = adoptions.find((a) => a.force === force);
      return {
        force,
        modelVersion: {
          adopted: adopted ? { version: adopted.version, adoptedAt: adopted.adopted_at.toISOString() } : null,
          stamped: stamps.filter((s) => s.force === force).map((s) => ({ version: s.model_version, events: Number(s.events) })),
        },
        rules: suppressed.forces.get(force) ?? suppressConformance(new Map(), {}, threshold).national,
      };
    }),
    national: suppressed.national,
  };
}
