import type { ModelRules } from './learning.events.js';

/**
 * The operating model in force for a fact: the version a force had adopted when the fact happened, and that
 * version's rules as the national team published them (issue 13, "rules as data"; ADR 0043). The command path
 * resolves it before a decision, the deciders read deadlines and limits from it, and every event is stamped
 * with its version.
 */
export interface ModelInForce {
  /** `<year>.<release>`, e.g. `2026.1`. */
  readonly version: string;
  readonly rules: ModelRules;
}

/**
 * What a force runs before its first adoption, and what national facts run before the first publication: the
 * rules of the law as this release knows them (Victims' Code 2021 right 6; PACE ss47ZA-47ZM as amended by the
 * Police, Crime, Sentencing and Courts Act 2022, in force since 28 October 2022). Published versions override it.
 */
export const BASELINE_MODEL: ModelInForce = Object.freeze({
  version: '2026.1',
  rules: Object.freeze({
    victimUpdateDeadline: Object.freeze({ standardWorkingDays: 5, enhancedWorkingDays: 1 }),
    preChargeBail: Object.freeze({ initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 }),
  }),
});

/** The national team's stream of published versions (metadata.force `national`). */
export const NATIONAL_MODEL_STREAM_ID = 'operating-model';

/** A force's stream of the versions it adopted. */
export function forceModelStreamId(force: string): string {
  return `operating-model-${force}`;
}
