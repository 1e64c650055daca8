import { CaseCommandRefused, type CaseRefusal } from '#cases-domain';
import { problem } from '#platform';

const STATUS: Record<CaseRefusal, number> = {
  'case-not-found': 404,
  'case-already-recorded': 409,
  'investigation-already-open': 409,
  'investigation-not-open': 409,
  'case-closed': 409,
  'unknown-outcome-code': 422,
};

/** Maps the cases domain's refusals to problem+json, once. Other errors pass through unchanged. */
export function caseProblem(error: unknown): unknown {
  // Unknown errors are rethrown as they are; the problem filter maps them.
  if (!(error instanceof CaseCommandRefused)) return error;
  const status = STATUS[error.refusal];
  return status === 404
    ? problem(404, 'not-found', 'Not found')
    : problem(status, `case/${error.refusal}`, 'The case does not allow this', { detail: error.message });
}
