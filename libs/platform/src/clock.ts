/**
 * The time source of everything that decides by "now" (ADR 0018): the decision runner's default time of a
 * fact, the process managers' timers, onboarding records. Production injects `systemClock`; tests inject
 * `fixedClock` (or their own), so that no test depends on the date it runs.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always says `at` (an ISO instant or a Date). */
export function fixedClock(at: string | Date): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an instant: ${String(at)}`);
  return { now: () => new Date(instant) };
}
