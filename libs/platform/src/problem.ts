import { HttpException, HttpStatus } from '@nestjs/common';
import { InvalidEventError, type Violation } from '#contracts';
import { StreamForceMismatchError, SubjectErasedError, WrongExpectedRevisionError } from '#event-store';

/** RFC 9457 problem details. `errors` names each field and the rule it broke. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly Violation[];
  readonly [extension: string]: unknown;
}

const TYPE_BASE = 'urn:uk:police:nom:problem:';
const SLUGS: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  413: 'request-too-large',
  429: 'too-many-requests',
};

/** An expected failure already expressed as a problem (thrown by controllers and guards). */
export class ProblemException extends HttpException {
  constructor(readonly problem: Problem) {
    super(problem, problem.status);
  }
}

export function problem(
  status: number,
  slug: string,
  title: string,
  extra: Omit<Partial<Problem>, 'status' | 'type' | 'title'> = {},
): ProblemException {
  return new ProblemException({ type: `${TYPE_BASE}${slug}`, title, status, ...extra });
}

/**
 * A decider's refusal (every domain lib's `…CommandRefused`): a typed `refusal` code, a message, and the
 * command field that broke a rule when one did.
 */
export interface DomainRefusal {
  readonly refusal: string;
  readonly message: string;
  readonly field?: string | undefined;
}

export function isDomainRefusal(error: unknown): error is Error & DomainRefusal {
  return error instanceof Error && typeof (error as { refusal?: unknown }).refusal === 'string';
}

/**
 * Refusals map by shape, the same for every context: `…-not-found` is a 404 that reveals nothing; a refusal
 * naming a field broke a rule of the request (422, with the field and the reason); any other is the state of
 * the resource forbidding the transition (409).
 */
export function refusalProblem(error: DomainRefusal): Problem {
  if (error.refusal.endsWith('not-found')) return { type: `${TYPE_BASE}not-found`, title: 'Not found', status: 404 };
  if (error.field !== undefined) {
    // Domain fields may be dotted paths (`authorisedBy.rank`); problem fields are JSON pointers like the DTOs'.
    const field = `/${error.field.replace(/^\//, '').replaceAll('.', '/')}`;
    return {
      type: `${TYPE_BASE}rule/${error.refusal}`,
      title: 'The request breaks a rule of the operating model',
      status: 422,
      errors: [{ field, reason: error.message }],
    };
  }
  return { type: `${TYPE_BASE}state/${error.refusal}`, title: 'The current state does not allow this', status: 409, detail: error.message };
}

/** The one place where errors become HTTP responses (STYLE.md habit 13). */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemException) return error.problem;
  if (error instanceof InvalidEventError) {
    return { type: `${TYPE_BASE}invalid-event`, title: 'The event does not satisfy the catalogue', status: 400, errors: error.violations };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      type: `${TYPE_BASE}concurrency-conflict`,
      title: 'The resource changed since you read it',
      status: 409,
      detail: 'Read it again and retry against its current revision.',
      currentRevision: error.actual === undefined ? null : error.actual.toString(),
    };
  }
  if (isDomainRefusal(error)) return refusalProblem(error);
  if (error instanceof SubjectErasedError) {
    // The stream is the caller's own (commands load it first): saying it was erased reveals nothing to others.
    return {
      type: `${TYPE_BASE}state/subject-erased`,
      title: 'The current state does not allow this',
      status: 409,
      detail: "This person's personal data was erased: no new personal data is recorded for them.",
    };
  }
  if (error instanceof StreamForceMismatchError) {
    // Never reveal that the id exists in another force.
    return { type: `${TYPE_BASE}not-found`, title: 'Not found', status: 404 };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
    return {
      type: `${TYPE_BASE}${SLUGS[status] ?? `http-${status}`}`,
      title: HttpStatus[status]?.toLowerCase().replaceAll('_', ' ') ?? 'error',
      status,
      ...(typeof message === 'string' ? { detail: message } : {}),
    };
  }
  return { type: `${TYPE_BASE}internal`, title: 'Internal error', status: 500 };
}
