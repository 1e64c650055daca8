import type { ContactChannel } from '#contracts';
import { isInstant } from '#calendar';
import { refuse } from './victim.errors.js';
import type { VictimState } from './victim.state.js';

/** Every command but first contact needs a victim this stream knows, in the case the command names. */
export function requireVictim(command: { readonly caseId: string }, state: VictimState): void {
  if (state.status === 'unknown') refuse('victim-not-found', 'no first contact has been made with this victim');
  if (state.caseId !== command.caseId) refuse('wrong-case', `this victim is recorded on case ${String(state.caseId)}`);
}

/** Deadlines are computed from these instants, so a malformed one is refused rather than guessed at. */
export function requireInstant(value: string, field: string): void {
  if (!isInstant(value)) refuse('invalid-instant', `${field} must be an ISO 8601 instant with a time zone: ${value}`);
}

/** Once the victim has agreed how to be contacted, nobody contacts them another way; an ISVA must exist to go through. */
export function requireAgreedChannel(state: VictimState, channel: ContactChannel): void {
  if (channel === 'via-isva' && !state.isvaReferred) refuse('no-isva-referral', 'the victim has not been referred to an ISVA');
  if (state.agreedChannels && !state.agreedChannels.includes(channel)) {
    refuse('channel-not-agreed', `the victim has agreed to be contacted by ${state.agreedChannels.join(', ')}, not ${channel}`);
  }
}
