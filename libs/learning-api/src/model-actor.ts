import { applyDecorators, CanActivate, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import type { ModelActor } from '#learning-domain';
import { Allow, problem, ROLES, type AuthenticatedRequest, type Identity } from '#platform';

/**
 * The role the learning domain's ModelActor calls `national-team`: whoever publishes and supersedes versions of
 * the national operating model. It is NOT in the platform's Role list yet (officer, supervisor,
 * force-integration, national-auditor, researcher, administrator), and no existing role fits: an administrator
 * is a force's own, and a national auditor audits the model rather than authoring it. The TokenVerifier refuses
 * a token carrying an unknown role, so today no caller holds it and the national write routes answer 403.
 */
export const NATIONAL_TEAM_ROLE = 'national-team';

export function holdsNationalTeamRole(identity: Identity): boolean {
  return (identity.roles as readonly string[]).includes(NATIONAL_TEAM_ROLE);
}

/**
 * The one check in front of the national write routes, after the global AuthGuard authenticated the caller: the
 * caller must hold `national-team`. Once the platform has that role (and a national scope for identities and
 * event metadata), this guard gives way to `@Allow('national-team')`.
 */
@Injectable()
export class NationalTeamGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const identity = context.switchToHttp().getRequest<AuthenticatedRequest>().identity;
    if (!identity || !holdsNationalTeamRole(identity)) {
      throw problem(403, 'forbidden', 'Your roles do not allow this', { detail: `needs role: ${NATIONAL_TEAM_ROLE}` });
    }
    return true;
  }
}

/**
 * Only the national team: every authenticated role passes the global guard (which requires a declared role list),
 * then NationalTeamGuard requires `national-team`. Keep the two together: never `Allow(...ROLES)` alone.
 */
export const NationalTeamOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(Allow(...ROLES), UseGuards(NationalTeamGuard), ApiForbiddenResponse({ description: `Needs role ${NATIONAL_TEAM_ROLE}.` }));

/**
 * The domain's actor, established from the verified identity only (never from a body). The deciders check the
 * actor again: adoption needs a force administrator of that very force, publishing the national team.
 */
export function modelActorOf(identity: Identity): ModelActor {
  if (holdsNationalTeamRole(identity)) return { role: 'national-team', officerId: identity.officerId };
  if (identity.roles.includes('administrator')) return { role: 'force-administrator', officerId: identity.officerId, force: identity.force };
  return { role: 'officer', officerId: identity.officerId, force: identity.force };
}
