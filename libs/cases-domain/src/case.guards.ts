import { refuse } from './case.errors.js';
import type { CaseState } from './case.state.js';

/** Checks shared by the use-case deciders; each refuses with a typed error (naming the field when one broke a rule). */
export function requireCase(state: CaseState): void {
  if (state.status === 'none') refuse('case-not-found', 'no such case');
}

/** The case has an open investigation: not an N100 report, not cancelled, not closed. */
export function requireInvestigation(state: CaseState): void {
  requireCase(state);
  if (state.status === 'closed') refuse('case-closed', `the case is closed with outcome ${String(state.outcomeCode)}`);
  if (state.status === 'cancelled') refuse('recording-cancelled', 'the recording of this case was cancelled');
  if (state.status !== 'under-investigation') refuse('investigation-not-open', 'no investigation is open on this case');
}

export function requirePattern(value: string, pattern: string, field: string, what: string): void {
  if (!new RegExp(pattern).test(value)) refuse('invalid-reference', `${field} is not ${what}: ${value}`, field);
}

/** Non-blank free text. */
export function isText(value: string): boolean {
  return value.trim().length > 0;
}
