import { NATIONAL } from '#contracts';
import type { ModelActor } from '#learning-domain';
import { problem, type Identity } from '#platform';

/**
 * The domain's actor, established from the verified identity only (never from a body). The deciders check the
 * actor again: adoption needs a force administrator of that very force, publishing the national team. A
 * national identity (`force: 'national'`) is the national team (the TokenVerifier grants the national scope
 * only with the `national-team` role, and that role only with the national scope); any other is a force's.
 */
export function modelActorOf(identity: Identity): ModelActor {
  const { officerId, force, roles } = identity;
  if (force === NATIONAL) {
    if (!roles.includes('national-team'))
      throw problem(403, 'forbidden', 'Your roles do not allow this', { detail: 'needs role: national-team' });
    return { role: 'national-team', officerId };
  }
  if (roles.includes('administrator')) return { role: 'force-administrator', officerId, force };
  return { role: 'officer', officerId, force };
}
