import type { ModelRules } from '#contracts';

const VERSION = /^([0-9]{4})\.([0-9]{1,3})$/;

/** `<year>.<release>`, e.g. `2026.1`: ordered by year, then release (so `2026.10` follows `2026.9`). */
export function isModelVersion(value: string): boolean {
  return VERSION.test(value);
}

function parts(version: string): [number, number] {
  const match = VERSION.exec(version);
  if (!match) throw new Error(`not a model version: ${version}`);
  return [Number(match[1]), Number(match[2])];
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. Both must be model versions. */
export function compareModelVersions(a: string, b: string): number {
  const [yearA, releaseA] = parts(a);
  const [yearB, releaseB] = parts(b);
  return yearA !== yearB ? yearA - yearB : releaseA - releaseB;
}

/** Why a set of rules cannot be published, or undefined when they are coherent. */
export function rulesProblem(rules: ModelRules): string | undefined {
  const { standardWorkingDays, enhancedWorkingDays } = rules.victimUpdateDeadline;
  const { initialPeriodMonths, inspectorLimitMonths, superintendentLimitMonths } = rules.preChargeBail;
  const counts = [standardWorkingDays, enhancedWorkingDays, initialPeriodMonths, inspectorLimitMonths, superintendentLimitMonths];
  if (!counts.every((n) => Number.isInteger(n) && n >= 1)) return 'deadlines and bail limits are whole numbers of at least 1';
  // Enhanced rights exist to make victims of the most serious crimes hear sooner, never later.
  if (enhancedWorkingDays > standardWorkingDays) return 'the enhanced update deadline must not be longer than the standard one';
  if (!(initialPeriodMonths < inspectorLimitMonths && inspectorLimitMonths < superintendentLimitMonths)) {
    return 'bail limits must increase: initial period, then the inspector limit, then the superintendent limit';
  }
  return undefined;
}
