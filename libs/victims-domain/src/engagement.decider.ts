import { assertNever, type VictimEvent, VictimEventTypes as T } from '#contracts';
import type {
  AgreeContactPreferences,
  CompleteNeedsAssessment,
  EngagementCommand,
  MakeFirstContact,
  RecordEnhancedRights,
  ReferToSupportService,
} from './victim.commands.js';
import { refuse } from './victim.errors.js';
import { requireVictim } from './victim.guards.js';
import { referralKey, type VictimState } from './victim.state.js';

/** First contact, needs, referrals, contact preferences and enhanced rights (Victims' Code rights 1-4). */
export function decideEngagement(command: EngagementCommand, state: VictimState): VictimEvent[] {
  const ids = { caseId: command.caseId, victimId: command.victimId };
  switch (command.kind) {
    case 'make-first-contact':
      return makeFirstContact(command, state);
    case 'record-enhanced-rights':
      return recordEnhancedRights(command, state);
    case 'complete-needs-assessment':
      return completeNeedsAssessment(command, state);
    case 'refer-to-isva':
      requireVictim(command, state);
      if (state.isvaReferred) refuse('already-referred', 'the victim has already been referred to an ISVA');
      return [{ type: T.ReferredToIsva, data: { ...ids, isvaService: command.isvaService, referredAt: command.at } }];
    case 'refer-to-support-service':
      return referToSupportService(command, state);
    case 'agree-contact-preferences':
      return agreeContactPreferences(command, state);
    default:
      return assertNever(command);
  }
}

/**
 * Rape always qualifies for enhanced rights (victims of the most serious crime), so first contact on a rape
 * case records them by default, with `source: 'offence-rule'`. Why default rather than wait for an officer:
 * the entitlement decides the update deadline (1 working day instead of 5) and each deadline is fixed when
 * its duty opens, so a forgotten recording would silently give the victim a lesser service; the default
 * fails safe and is visible in the stream. Other offences are recorded by an officer (`record-enhanced-rights`).
 */
function makeFirstContact(command: MakeFirstContact, state: VictimState): VictimEvent[] {
  if (state.status !== 'unknown') refuse('first-contact-already-made', 'first contact with this victim is already recorded');
  const ids = { caseId: command.caseId, victimId: command.victimId };
  const events: VictimEvent[] = [
    {
      type: T.FirstContactMade,
      data: { ...ids, offence: command.offence, officerId: command.officerId, channel: command.channel, madeAt: command.at },
    },
  ];
  if (command.offence.startsWith('rape-')) {
    events.push({
      type: T.EnhancedRightsRecorded,
      data: { ...ids, categories: ['most-serious-crime'], source: 'offence-rule', recordedAt: command.at },
    });
  }
  return events;
}

function recordEnhancedRights(command: RecordEnhancedRights, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  if (command.categories.length === 0) refuse('no-enhanced-rights-category', 'name at least one enhanced-rights category');
  const categories = [...new Set(command.categories)].filter((c) => !state.enhancedRights.includes(c));
  // Recording a category already held is a retry, not a new fact.
  if (categories.length === 0) return [];
  return [
    {
      type: T.EnhancedRightsRecorded,
      data: { caseId: command.caseId, victimId: command.victimId, categories, source: 'officer-assessment', recordedAt: command.at },
    },
  ];
}

/** Needs change over a long investigation: reassessment is always allowed and each one is recorded. */
function completeNeedsAssessment(command: CompleteNeedsAssessment, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  return [
    {
      type: T.NeedsAssessmentCompleted,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        needs: [...new Set(command.needs)],
        ...(command.notes === undefined ? {} : { notes: command.notes }),
        completedAt: command.at,
      },
    },
  ];
}

function referToSupportService(command: ReferToSupportService, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  if (state.referrals.includes(referralKey(command.service, command.organisation))) {
    refuse('already-referred', `the victim has already been referred to ${command.organisation}`);
  }
  return [
    {
      type: T.ReferredToSupportService,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        service: command.service,
        organisation: command.organisation,
        referredAt: command.at,
      },
    },
  ];
}

/** A channel is only agreed with the details to use it: a number to ring, an address to write to, an ISVA. */
function agreeContactPreferences(command: AgreeContactPreferences, state: VictimState): VictimEvent[] {
  requireVictim(command, state);
  const { safeContact } = command;
  if (command.channels.length === 0) refuse('no-contact-channel', 'agree at least one way to contact the victim');
  for (const channel of command.channels) {
    const missing =
      ((channel === 'phone' || channel === 'sms') && !safeContact.phone) ||
      (channel === 'email' && !safeContact.email) ||
      (channel === 'post' && !safeContact.address);
    if (missing)
      refuse(
        'contact-details-missing',
        `contact by ${channel} needs a safe ${channel === 'post' ? 'address' : channel === 'email' ? 'email address' : 'phone number'}`,
      );
    if (channel === 'via-isva' && !state.isvaReferred) refuse('no-isva-referral', 'contact via an ISVA needs a referral to an ISVA first');
  }
  return [
    {
      type: T.ContactPreferencesAgreed,
      data: {
        caseId: command.caseId,
        victimId: command.victimId,
        channels: [...new Set(command.channels)],
        times: [...new Set(command.times)],
        leaveMessages: command.leaveMessages,
        safeContact,
        agreedAt: command.at,
      },
    },
  ];
}
