// The victims context's vocabulary: channels, rights, needs, services, measures, triggers, reasons (events: victims.events.ts).

/** How the police reach the victim. `via-isva`: through the victim's ISVA, at the victim's request. */
export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'post', 'in-person', 'via-isva'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_TIMES = ['weekday-morning', 'weekday-afternoon', 'weekday-evening', 'weekend'] as const;
export type ContactTime = (typeof CONTACT_TIMES)[number];
/** Victims' Code enhanced-rights categories. */
export const ENHANCED_RIGHTS_CATEGORIES = ['most-serious-crime', 'persistently-targeted', 'vulnerable-or-intimidated'] as const;
export type EnhancedRightsCategory = (typeof ENHANCED_RIGHTS_CATEGORIES)[number];
export const VICTIM_NEEDS = [
  'emotional-support',
  'counselling',
  'sexual-health',
  'mental-health',
  'safety-planning',
  'housing',
  'financial',
  'interpreter',
  'communication-support',
  'disability-access',
  'childcare',
] as const;
export type VictimNeed = (typeof VICTIM_NEEDS)[number];
export const SUPPORT_SERVICES = [
  'sarc',
  'rape-crisis',
  'victim-support',
  'idva',
  'mental-health',
  'sexual-health',
  'housing',
  'children-and-young-people',
  'other',
] as const;
export type SupportService = (typeof SUPPORT_SERVICES)[number];
/** Youth Justice and Criminal Evidence Act 1999 ss23-30 (complainants of sexual offences are eligible, s17(4)). */
export const SPECIAL_MEASURES = [
  'screens',
  'live-link',
  'evidence-in-private',
  'removal-of-wigs-and-gowns',
  'video-recorded-evidence-in-chief',
  'pre-recorded-cross-examination',
  'intermediary',
  'communication-aids',
] as const;
export type SpecialMeasure = (typeof SPECIAL_MEASURES)[number];
export const VPS_FORMATS = ['written', 'video-recorded'] as const;
export type VpsFormat = (typeof VPS_FORMATS)[number];
/**
 * Victims' Code right 6: what the victim must be told of within a deadline: a suspect arrested, interviewed,
 * charged, released without charge, bailed or released under investigation, bail conditions changed; and a decision
 * to take no further action (an outcome other than charge), with the reasons.
 */
export const UPDATE_TRIGGERS = [
  'suspect-arrested',
  'suspect-interviewed',
  'suspect-released',
  'suspect-bailed',
  'suspect-released-under-investigation',
  'bail-conditions-changed',
  'suspect-charged',
  'no-further-action',
  'bail-cancelled',
  'bail-lapsed',
  // Widened (issue 13): a decision not to investigate, told with the reasons (right 6).
  'decision-not-to-investigate',
  // Widened (issue 13, docs/evidence-and-court.md): the outcome of the trial, and a prosecution stopped by the CPS.
  'court-verdict',
  'prosecution-discontinued',
] as const;
export type UpdateTrigger = (typeof UPDATE_TRIGGERS)[number];
export const UPDATE_SUBJECTS = [
  ...UPDATE_TRIGGERS,
  'investigation-progress',
  'digital-forensics',
  'charging-decision',
  'case-outcome',
  'case-reopened',
  'other',
] as const;
export type UpdateSubject = (typeof UPDATE_SUBJECTS)[number];
export const LETTER_KINDS = [
  'first-contact',
  'charge',
  'no-further-action',
  'bail-or-release-under-investigation',
  'case-outcome',
  'case-reopened',
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
/** Letters go by post, email, by hand (`in-person`) or through the ISVA: a subset of the contact channels. */
export const LETTER_CHANNELS = ['post', 'email', 'in-person', 'via-isva'] as const;
export type LetterChannel = (typeof LETTER_CHANNELS)[number];
export const WITHDRAWAL_REASONS = [
  'lack-of-trust',
  'length-of-investigation',
  'fear-of-reprisal',
  'digital-device-concerns',
  'wants-to-move-on',
  'emotional-toll',
  'relationship-with-suspect',
  'other',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
export const WITHDRAWAL_STAGES = [
  'reporting',
  'early-investigation',
  'suspect-arrest-or-interview',
  'digital-device-examination',
  'awaiting-charging-decision',
  'post-charge',
  'trial',
] as const;
export type WithdrawalStage = (typeof WITHDRAWAL_STAGES)[number];
export const COMPLAINT_SUBJECTS = ['communication', 'delay', 'officer-conduct', 'victims-code-entitlement-not-met', 'other'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];
export const DUTY_CLOSURE_REASONS = ['case-outcome-recorded', 'victim-opted-out-of-updates', 'case-transferred'] as const;
export type DutyClosureReason = (typeof DUTY_CLOSURE_REASONS)[number];
