import { isInstant, isBefore, isIsoDate } from '#calendar';
import { refuse } from './suspect.errors.js';
import type { SuspectState } from './suspect.state.js';

/** Checks shared by the use-case deciders; each refuses with a typed error naming the field. */
export function requireInstant(value: string, field: string): void {
  if (!isInstant(value)) refuse('invalid-time', `${field} must be an ISO 8601 date-time with an offset`, field);
}

export function requireDate(value: string, field: string): void {
  if (!isIsoDate(value)) refuse('invalid-time', `${field} must be a calendar date (YYYY-MM-DD)`, field);
}

/** `later` must not be before `earlier`; both are instants already checked. */
export function requireNotBefore(later: string, earlier: string, field: string, rule: string): void {
  if (isBefore(later, earlier)) refuse('invalid-time', `${field} ${rule}`, field);
}

export function requireNotCharged(state: SuspectState): void {
  if (state.status === 'charged') refuse('suspect-already-charged', 'the suspect has already been charged');
}

export function requirePattern(value: string | undefined, pattern: string, field: string, what: string): void {
  if (value !== undefined && !new RegExp(pattern).test(value)) {
    refuse('invalid-reference', `${field} is not a ${what}: ${value}`, field);
  }
}
