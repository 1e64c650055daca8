import {
  CallHandler,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import {
  ACCESS_PURPOSES,
  SUBJECT_TYPES,
  type AccessAction,
  type AccessLog,
  type AccessPurpose,
  type AccessRecord,
  type AccessSubject,
  type SubjectType,
} from '#audit';
import { isForceCode } from '#contracts';
import { isPublicRoute, type AuthenticatedRequest } from './auth.guard.js';
import type { CorrelatedRequest } from './logging.js';
import { isStorableText } from './body-limits.js';
import type { Identity, Role } from './identity.js';
import { problem, type ProblemException } from './problem.js';
import { ACCESS_LOG } from './tokens.js';

/**
 * Section 62 logging (Data Protection Act 2018 s62, ADR 0012). Every route that is not `@Public()` is logged,
 * including routes added later: the action defaults from the method (GET consults; POST collects, or alters the
 * record named in the path; PUT/PATCH alter; DELETE erases) and `@Section62` refines it (class or method).
 */
export interface Section62Options {
  readonly action?: AccessAction;
  readonly purpose?: AccessPurpose;
}

const SECTION62 = 'nom:section62';
export const Section62 = (options: Section62Options): MethodDecorator & ClassDecorator => SetMetadata(SECTION62, options);

/** The header a caller declares its purpose in; unknown values are refused (422). */
export const PURPOSE_HEADER = 'x-nom-purpose';

/** Path and body fields naming a data subject's record, and its type. */
const SUBJECT_FIELDS: readonly (readonly [string, SubjectType])[] = [
  ['caseId', 'case'],
  ['suspectId', 'suspect'],
  ['victimId', 'victim'],
  ['officerId', 'officer'],
  ['investigatorId', 'officer'],
  ['supervisorId', 'officer'],
];
const SUBJECT_LISTS: readonly (readonly [string, SubjectType])[] = [
  ['caseIds', 'case'],
  ['suspectIds', 'suspect'],
  ['victimIds', 'victim'],
];
/** Fields holding stream ids (`victim-<uuid>`): a data key's id, the keys an erasure destroyed. */
const STREAM_FIELDS = ['keyId', 'streamId', 'keysDestroyed'];
const STREAM_ID = /^(case|suspect|victim)-([0-9a-f-]{36})$/;
const MAX_SUBJECTS = 1000;
const isSubjectType = (value: unknown): value is SubjectType =>
  typeof value === 'string' && (SUBJECT_TYPES as readonly string[]).includes(value);

/** A caller's default purpose: its first role in this order. */
const ROLE_PURPOSES: readonly (readonly [Role, AccessPurpose])[] = [
  ['officer', 'investigation'],
  ['supervisor', 'supervision'],
  ['force-integration', 'integration'],
  ['national-auditor', 'audit'],
  ['researcher', 'research'],
  ['administrator', 'administration'],
  ['national-team', 'operating-model'],
];

/** What the first guard learns of a request; completed into an access-log entry exactly once. */
interface PendingAccess {
  readonly action: AccessAction;
  readonly purpose?: AccessPurpose;
  readonly method: string;
  readonly route: string;
  logged: boolean;
}

interface Section62Request extends AuthenticatedRequest {
  section62?: PendingAccess;
}

function defaultAction(method: string, params: Record<string, unknown>): AccessAction {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return 'consult';
    case 'DELETE':
      return 'erase';
    case 'POST':
      return SUBJECT_FIELDS.some(([field]) => typeof params[field] === 'string') ? 'alter' : 'collect';
    default:
      return 'alter';
  }
}

const isPurpose = (value: unknown): value is AccessPurpose =>
  typeof value === 'string' && (ACCESS_PURPOSES as readonly string[]).includes(value);

/** The route's purpose, else the caller's first role's; null for an unauthenticated attempt on a route naming none. */
function defaultPurpose(pending: PendingAccess, identity: Identity | undefined): AccessPurpose | null {
  if (pending.purpose) return pending.purpose;
  const byRole = ROLE_PURPOSES.find(([role]) => identity?.roles.includes(role));
  return byRole ? byRole[1] : null;
}

/** The declared purpose, checked: 422 for a value not in the list. */
function declaredPurpose(request: Section62Request): AccessPurpose | undefined | ProblemException {
  const header = request.headers[PURPOSE_HEADER];
  if (header === undefined) return undefined;
  if (isPurpose(header)) return header;
  return problem(422, 'invalid-purpose', 'The declared purpose is not one this service knows', {
    errors: [{ field: 'X-NOM-Purpose', reason: `must be one of ${ACCESS_PURPOSES.join(', ')}` }],
  });
}

/**
 * Subjects named by the path, the request body and the answer (walked a few levels deep, bounded). An object's own
 * `force` (or `scopeForce`) names the force of the ids in it, as in an access-log entry's subjects and actor.
 */
function subjectsOf(request: Section62Request, answer: unknown, force: string | null): AccessSubject[] {
  const found = new Map<string, AccessSubject>();
  const add = (owner: string | null, type: SubjectType, id: unknown): void => {
    // The subjects are jsonb, which holds no NUL and no lone surrogate: no id has them, so such a string names no record.
    if (typeof id !== 'string' || id.length === 0 || id.length > 100 || !isStorableText(id) || found.size >= MAX_SUBJECTS) return;
    if (!found.has(`${type}:${id}`)) found.set(`${type}:${id}`, { force: owner, type, id });
  };
  const walk = (value: unknown, depth: number, owner: string | null): void => {
    if (depth > 4 || value === null || typeof value !== 'object' || found.size >= MAX_SUBJECTS) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1, owner);
      return;
    }
    const record = value as Record<string, unknown>;
    const own = [record['force'], record['scopeForce']].find(isForceCode) ?? owner;
    // An access-log subject { force, type, id }; an erasure's { subjectType, subjectId }; stream ids (data keys).
    if (isSubjectType(record['type'])) add(own, record['type'], record['id']);
    if (isSubjectType(record['subjectType'])) add(own, record['subjectType'], record['subjectId']);
    for (const field of STREAM_FIELDS) {
      const value = record[field];
      for (const streamId of Array.isArray(value) ? value : [value]) {
        const match = typeof streamId === 'string' ? STREAM_ID.exec(streamId) : null;
        if (match) add(own, match[1] as SubjectType, match[2]);
      }
    }
    for (const [field, type] of SUBJECT_FIELDS) add(own, type, record[field]);
    // A timeline's actor: an officer id, or `system:<component>` (no person).
    const actor = record['actor'];
    if (typeof actor === 'string' && !actor.startsWith('system:')) add(own, 'officer', actor);
    for (const [field, type] of SUBJECT_LISTS) {
      const list = record[field];
      if (Array.isArray(list)) for (const id of list) add(own, type, id);
    }
    for (const nested of Object.values(record)) if (typeof nested === 'object') walk(nested, depth + 1, own);
  };
  walk(request.params, 0, force);
  walk(request.body, 0, force);
  walk(answer, 0, force);
  return [...found.values()];
}

/** Records disclosed: the items of a list (or of a page's `entries`/`items`), 1 for one record, 0 for none. */
function recordCountOf(answer: unknown): number {
  if (answer === undefined || answer === null || answer === '') return 0;
  if (Array.isArray(answer)) return answer.length;
  if (typeof answer === 'object') {
    const page = answer as { entries?: unknown; items?: unknown };
    if (Array.isArray(page.entries)) return page.entries.length;
    if (Array.isArray(page.items)) return page.items.length;
  }
  return 1;
}

function accessRecordOf(
  request: Section62Request,
  pending: PendingAccess,
  purpose: AccessPurpose | null,
  status: number,
  answer: unknown,
): AccessRecord {
  const identity = request.identity;
  const routeForce = request.params['force'];
  const scopeForce =
    routeForce !== undefined
      ? isForceCode(routeForce)
        ? routeForce
        : null
      : identity && isForceCode(identity.force)
        ? identity.force
        : null;
  const ok = status < 400;
  return {
    actor: identity ? { officerId: identity.officerId, force: identity.force, roles: [...identity.roles] } : null,
    action: pending.action,
    purpose,
    method: pending.method,
    route: pending.route,
    scopeForce,
    subjects: subjectsOf(request, ok ? answer : undefined, scopeForce),
    status,
    recordCount: ok ? recordCountOf(answer) : 0,
    ...((request as CorrelatedRequest).correlationId ? { correlationId: (request as CorrelatedRequest).correlationId } : {}),
  };
}

export const accessLogUnavailable = (): ProblemException =>
  problem(503, 'access-log-unavailable', 'The access log could not be written, so nothing was disclosed or answered');

/**
 * The first global guard: it only notes what a non-public request is about (route template, action, route
 * purpose), so that a refusal by any later guard (401, 403, 404) is logged as an attempt by the problem filter.
 */
@Injectable()
export class Section62Guard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublicRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<Section62Request>();
    const options = {
      ...this.reflector.get<Section62Options | undefined>(SECTION62, context.getClass()),
      ...this.reflector.get<Section62Options | undefined>(SECTION62, context.getHandler()),
    };
    const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
    request.section62 = {
      action: options.action ?? defaultAction(request.method, request.params),
      ...(options.purpose ? { purpose: options.purpose } : {}),
      method: request.method,
      route: `${request.baseUrl ?? ''}${route}`,
      logged: false,
    };
    return true;
  }
}

/**
 * Writes the entry of an answered request before its body leaves: the response waits for the committed insert,
 * and if the insert fails the caller gets 503 instead of the data. Failures thrown by the handler, pipes or later
 * interceptors are logged by the problem filter with their status.
 */
@Injectable()
export class Section62Interceptor implements NestInterceptor {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Section62Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const pending = request.section62;
    if (!pending) return next.handle();
    const declared = declaredPurpose(request);
    if (declared instanceof Error) throw declared;
    const purpose = declared ?? defaultPurpose(pending, request.identity);
    return next.handle().pipe(
      mergeMap((answer: unknown) => {
        pending.logged = true;
        return from(
          this.log.record(accessRecordOf(request, pending, purpose, response.statusCode, answer)).then(
            () => answer,
            () => Promise.reject(accessLogUnavailable()),
          ),
        );
      }),
    );
  }
}

/**
 * For the problem filter: logs a refused or failed request (once), resolving to the status to answer with: the
 * refusal's own, or 503 when the entry could not be written.
 */
export async function logRefusal(log: AccessLog | undefined, request: unknown, status: number): Promise<number> {
  const req = request as Section62Request;
  const pending = req.section62;
  if (!log || !pending || pending.logged) return status;
  pending.logged = true;
  const declared = declaredPurpose(req);
  const purpose = declared instanceof Error || declared === undefined ? defaultPurpose(pending, req.identity) : declared;
  try {
    await log.record(accessRecordOf(req, pending, purpose, status, undefined));
    return status;
  } catch {
    return 503;
  }
}
