import { CanActivate, createParamDecorator, Inject, Injectable, Optional, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isForceCode, type ForceCode } from '#contracts';
import type { EventStore } from '#event-store';
import { CLOCK, systemClock, type Clock } from './clock.js';
import { TokenVerifier, UnauthenticatedError, type Identity, type Role } from './identity.js';
import { streamsNamedByBody } from './body-references.js';
import { problem } from './problem.js';
import { callerKey, RateLimiter } from './rate-limit.js';
import { EVENT_STORE } from './tokens.js';

const ALLOW = 'nom:allow';
const PUBLIC = 'nom:public';

/** The roles that may call a route. Every route declares this or `@Public()`; the guard denies the rest. */
export const Allow = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ALLOW, roles);
/** A route anyone may call (health, API docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/** Whether the handler or its controller is `@Public()`. */
export function isPublicRoute(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

export interface AuthenticatedRequest extends Request {
  identity?: Identity;
  /** When the request was received, by the injected clock: the time of a fact the caller does not state. */
  receivedAt?: string;
}

export const CurrentIdentity = createParamDecorator((_: unknown, context: ExecutionContext): Identity => {
  const identity = context.switchToHttp().getRequest<AuthenticatedRequest>().identity;
  if (!identity) throw new Error('CurrentIdentity used on a route without authentication');
  return identity;
});

/**
 * The caller's own force, for code behind a force's routes. A national identity (the national team) has no force:
 * it reads as not found (404), as the AuthGuard already answers it on every route with a `:force` parameter.
 */
export function forceOf(identity: Identity): ForceCode {
  if (!isForceCode(identity.force)) throw problem(404, 'not-found', 'Not found');
  return identity.force;
}

/**
 * Authentication, role check and force scope in one guard, applied globally:
 *  - a bearer token is verified (401 otherwise);
 *  - the route's declared roles must include one of the caller's (403 otherwise; undeclared routes: 403);
 *  - a `:force` route parameter must be the caller's own force, else 404: another force's ids are not
 *    even confirmed to exist. A national caller (`force: 'national'`) has no force: past the role check, every
 *    force route is 404 to it, `/forces/national/...` included;
 *  - so is every case, suspect or victim id in the path, or in a body field marked `@References`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly rateLimiter: RateLimiter,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (isPublicRoute(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.receivedAt = this.clock.now().toISOString();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw problem(401, 'unauthenticated', 'A bearer token is required');
    }
    try {
      request.identity = await this.verifier.verify(header.slice('Bearer '.length).trim());
    } catch (error) {
      if (error instanceof UnauthenticatedError)
        throw problem(401, 'unauthenticated', 'The bearer token was refused', { detail: error.message });
      throw error;
    }
    // Counted before the role and force checks: refused probes of other forces' ids count against the caller too.
    const response = context.switchToHttp().getResponse<Response>();
    await this.rateLimiter.take(callerKey(request.identity), (name, value) => response.setHeader(name, value));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOW, targets) ?? [];
    if (!request.identity.roles.some((role) => allowed.includes(role))) {
      throw problem(403, 'forbidden', 'Your roles do not allow this', {
        detail: `needs one of: ${allowed.join(', ') || '(none declared)'}`,
      });
    }
    const force = request.params['force'];
    // `national` is no force: /forces/national/... is not found, for the national team too.
    if (force !== undefined && (force !== request.identity.force || !isForceCode(force))) {
      throw problem(404, 'not-found', 'Not found');
    }
    await this.requireOwnResources(request.params, request.identity);
    // Ids in the body (`@References` fields of the handler's DTOs) are checked the same way, before validation.
    const parameterTypes =
      (Reflect.getMetadata('design:paramtypes', context.getClass().prototype as object, context.getHandler().name) as
        unknown[] | undefined) ?? [];
    for (const streamId of streamsNamedByBody(parameterTypes, request.body)) await requireOwnStream(this.store, streamId, request.identity);
    return true;
  }

  /**
   * Ids in the path name existing streams of the caller's force, checked here, before any body is validated:
   * another force's id and an id that exists nowhere get the same bare 404, so nothing reveals existence.
   */
  private async requireOwnResources(params: Record<string, string | string[] | undefined>, identity: Identity): Promise<void> {
    for (const [param, prefix] of RESOURCE_STREAMS) {
      const id = params[param];
      if (typeof id !== 'string') continue;
      await requireOwnStream(this.store, `${prefix}${id}`, identity);
    }
  }
}

/** A stream named by a request (path or body) must exist in the caller's force: otherwise the same bare 404. */
export async function requireOwnStream(store: EventStore, streamId: string, identity: Identity): Promise<void> {
  if ((await store.streamForce(streamId)) !== identity.force) throw problem(404, 'not-found', 'Not found');
}

/** Path parameters that name a stream, and the stream id's prefix (officer streams are per force already). */
const RESOURCE_STREAMS: readonly (readonly [string, string])[] = [
  ['caseId', 'case-'],
  ['suspectId', 'suspect-'],
  ['victimId', 'victim-'],
];
