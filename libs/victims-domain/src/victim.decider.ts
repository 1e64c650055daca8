import { assertNever } from '#contracts';
import type { Decider, ModelInForce, VictimEvent } from '#contracts';
import { decideEngagement } from './engagement.decider.js';
import { decideEvidence } from './evidence.decider.js';
import { decideSupport } from './support.decider.js';
import { decideUpdateDuties } from './update-duties.decider.js';
import type { VictimCommand } from './victim.commands.js';
import { evolve, initialVictimState, type VictimState } from './victim.state.js';

/** Routes each command to its use case; every use case is a pure function of the command and the folded state. */
export function decide(command: VictimCommand, state: VictimState, model: ModelInForce): VictimEvent[] {
  switch (command.kind) {
    case 'make-first-contact':
    case 'record-enhanced-rights':
    case 'complete-needs-assessment':
    case 'refer-to-isva':
    case 'refer-to-support-service':
    case 'agree-contact-preferences':
      return decideEngagement(command, state);
    case 'request-special-measures':
    case 'offer-vps':
    case 'take-vps':
    case 'decline-vps':
    case 'send-letter':
    case 'withdraw-support':
    case 're-engage':
    case 'make-complaint':
      return decideSupport(command, state);
    case 'give-update':
    case 'open-update-duty':
    case 'check-deadlines':
    case 'check-agreed-update':
    case 'close-duties':
      return decideUpdateDuties(command, state, model);
    case 'plan-abe-interview':
    case 'record-abe-interview':
    case 'refer-for-forensic-examination':
    case 'record-forensic-examination':
    case 'decline-forensic-examination':
    case 'apply-for-special-measures':
    case 'record-special-measures-decision':
    case 'order-pre-recorded-cross-examination':
    case 'record-pre-recorded-cross-examination':
      return decideEvidence(command, state);
    default:
      return assertNever(command);
  }
}

export const victimDecider: Decider<VictimCommand, VictimEvent, VictimState> = { decide, evolve, initialState: initialVictimState };

/** Stream id of one victim in one case. The owning force is kept by the store per stream. */
export function victimStreamId(victimId: string): string {
  return `victim-${victimId}`;
}
