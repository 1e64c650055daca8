import { assertNever, type VictimEvent, VictimEventTypes as T } from '#contracts';
import type { RequestSpecialMeasures, SendLetter, SupportCommand, WithdrawSupport } from './victim.commands.js';
import { refuse } from './victim.errors.js';
import { requireAgreedChannel, requireVictim } from './victim.guards.js';
import { type VictimState } from './victim.state.js';

const blank = (text: string | undefined): boolean => text === undefined || text.trim() === '';

/** Special measures, the Victim Personal Statement, letters, withdrawal and re-engagement, complaints. */
export function decideSupport(command: SupportCommand, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  const ids = { caseId: command.caseId, victimId: command.victimId };
  switch (command.kind) {
    case 'request-special-measures':
      return requestSpecialMeasures(command, state);
    case 'offer-vps':
      // A statement already taken or declined can be offered again: the victim may add to it or change their mind.
      if (state.vps === 'offered') refuse('vps-already-offered', 'a Victim Personal Statement offer is already awaiting an answer');
      return [{ type: T.VpsOffered, data: { ...ids, offeredAt: command.at } }];
    case 'take-vps':
      if (state.vps !== 'offered') refuse('vps-not-offered', 'offer the Victim Personal Statement first');
      return [
        { type: T.VpsTaken, data: { ...ids, format: command.format, documentReference: command.documentReference, takenAt: command.at } },
      ];
    case 'decline-vps':
      if (state.vps !== 'offered') refuse('vps-not-offered', 'offer the Victim Personal Statement first');
      return [
        { type: T.VpsDeclined, data: { ...ids, ...(blank(command.comment) ? {} : { comment: command.comment }), declinedAt: command.at } },
      ];
    case 'send-letter':
      return sendLetter(command, state);
    case 'withdraw-support':
      return withdrawSupport(command, state);
    case 're-engage':
      if (state.status !== 'withdrawn') refuse('support-not-withdrawn', 'the victim has not withdrawn support');
      return [{ type: T.ReEngaged, data: { ...ids, reEngagedAt: command.at } }];
    case 'make-complaint':
      if (blank(command.account)) refuse('account-required', "record the complaint in the victim's words");
      return [{ type: T.ComplaintMade, data: { ...ids, about: command.about, account: command.account, madeAt: command.at } }];
    default:
      return assertNever(command);
  }
}

function requestSpecialMeasures(command: RequestSpecialMeasures, state: VictimState): VictimEvent[] {
  if (command.measures.length === 0) refuse('no-special-measures', 'name at least one special measure');
  const measures = [...new Set(command.measures)].filter((m) => !state.specialMeasures.includes(m));
  // Asking again for measures already requested is a retry, not a new request.
  if (measures.length === 0) return [];
  return [
    { type: T.SpecialMeasuresRequested, data: { caseId: command.caseId, victimId: command.victimId, measures, requestedAt: command.at } },
  ];
}

/** The first-contact letter is sent once; the others can recur (a case is charged again after reopening). */
function sendLetter(command: SendLetter, state: VictimState): VictimEvent[] {
  if (command.letter === 'first-contact' && state.lettersSent.includes('first-contact')) {
    refuse('letter-already-sent', 'the first-contact letter has already been sent');
  }
  requireAgreedChannel(state, command.channel);
  return [
    {
      type: T.LetterSent,
      data: { caseId: command.caseId, victimId: command.victimId, letter: command.letter, channel: command.channel, sentAt: command.at },
    },
  ];
}

/**
 * Why and when victims withdraw is among the most important facts the model records (55% of closed rape
 * investigations ended that way in the year to March 2025), so `other` is only accepted with the victim's account.
 * Open update duties stay open: a victim who withdraws support keeps the right to be kept informed.
 */
function withdrawSupport(command: WithdrawSupport, state: VictimState): VictimEvent[] {
  if (state.status === 'withdrawn') refuse('support-already-withdrawn', 'the victim has already withdrawn support');
  if (command.reason === 'other' && blank(command.account)) {
    refuse('account-required', "a withdrawal for another reason needs the victim's account of why");
  }
  // A stage after charge needs a charge this stream knows of (docs/evidence-and-court.md, "Withdrawal after charge").
  if ((command.stage === 'post-charge' || command.stage === 'trial') && !state.evidence.chargeKnown) {
    refuse('stage-contradicts-case', `no suspect of this case is known to have been charged: the stage cannot be ${command.stage}`);
  }
  return [
    {
      type: T.SupportWithdrawn,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        reason: command.reason,
        stage: command.stage,
        ...(blank(command.account) ? {} : { account: command.account }),
        withdrawnAt: command.at,
      },
    },
  ];
}
