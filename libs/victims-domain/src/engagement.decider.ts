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
 * Enhanced rights by rule (Victims' Code 2021, chapter 1: victims of the most serious crime, which includes every
 * sexual offence, and every victim under 18 as vulnerable), recorded at first contact with `source` naming the rule:
 * every offence this backbone records is a sexual offence, so every victim has them as `most-serious-crime`
 * (`offence-rule`); an offence against a child (the under-16 and under-13 rape groups, sexual activity with a child)
 * also as `vulnerable-or-intimidated` (`offence-rule`), and a victim recorded as under 18 so (`age-rule`). Why by
 * rule rather than by an officer: the entitlement decides the update deadline (1 working day instead of 5), fixed
 * when each duty opens, so a forgotten recording would silently give the victim a lesser service. An officer adds
 * other categories (`record-enhanced-rights`).
 */
function makeFirstContact(command: MakeFirstContact, state: VictimState): VictimEvent[] {
  if (state.status !== 'unknown') refuse('first-contact-already-made', 'first contact with this victim is already recorded');
  const ids = { caseId: command.caseId, victimId: command.victimId };
  const childOffence = CHILD_OFFENCES.has(command.offence);
  const events: VictimEvent[] = [
    {
      type: T.FirstContactMade,
      data: { ...ids, offence: command.offence, officerId: command.officerId, channel: command.channel, madeAt: command.at },
    },
    {
      type: T.EnhancedRightsRecorded,
      data: {
        ...ids,
        categories: childOffence ? ['most-serious-crime', 'vulnerable-or-intimidated'] : ['most-serious-crime'],
        source: 'offence-rule',
        recordedAt: command.at,
      },
    },
  ];
  if (command.victimUnder18 === true && !childOffence) {
    events.push({
      type: T.EnhancedRightsRecorded,
      data: { ...ids, categories: ['vulnerable-or-intimidated'], source: 'age-rule', recordedAt: command.at },
    });
  }
  return events;
}

/** Offence groups whose victim is a child by definition. */
const CHILD_OFFENCES: ReadonlySet<string> = new Set([
  'rape-of-female-under-16',
  'rape-of-female-under-13',
  'rape-of-male-under-16',
  'rape-of-male-under-13',
  'sexual-activity-with-child',
]);

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
        ...(command.updateEveryDays === undefined ? {} : { updateEveryDays: command.updateEveryDays }),
        agreedAt: command.at,
      },
    },
  ];
}
