// The suspects context's vocabulary: ranks, systems, settings, tactics, orders and reference patterns (events: suspects.events.ts).

/** Ranks of a territorial force outside London, lowest first (the Met's commander ranks are not modelled). */
export const POLICE_RANKS = [
  'constable',
  'sergeant',
  'inspector',
  'chief-inspector',
  'superintendent',
  'chief-superintendent',
  'assistant-chief-constable',
  'deputy-chief-constable',
  'chief-constable',
] as const;
export type PoliceRank = (typeof POLICE_RANKS)[number];

/**
 * Why pre-charge bail was cancelled before its end: PACE s50A's conditions (bail necessary and proportionate) no
 * longer met, or another reason recorded by the authorising officer.
 */
export const BAIL_CANCELLATION_REASONS = ['no-longer-necessary-and-proportionate', 'other'] as const;
export type BailCancellationReason = (typeof BAIL_CANCELLATION_REASONS)[number];
export const HISTORY_CHECK_SYSTEMS = ['pnc', 'pnd', 'visor', 'local-intelligence'] as const;
export type HistoryCheckSystem = (typeof HISTORY_CHECK_SYSTEMS)[number];

export const INTERVIEW_SETTINGS = ['custody', 'voluntary'] as const;
export type InterviewSetting = (typeof INTERVIEW_SETTINGS)[number];
export const INTERVIEW_RESPONSES = ['account-given', 'no-comment', 'prepared-statement'] as const;
export type InterviewResponse = (typeof INTERVIEW_RESPONSES)[number];
export const DISRUPTION_TACTICS = [
  'offender-management',
  'child-abduction-warning-notice',
  'partner-agency-referral',
  'licensing-intervention',
  'other',
  // Widened (issue 13, docs/disruption.md): police actions, not court orders.
  'domestic-abuse-protection-notice',
  'clares-law-right-to-ask-disclosure',
  'clares-law-right-to-know-disclosure',
  'sarahs-law-disclosure',
  'mappa-referral',
  'visor-nominal-record',
] as const;
export type DisruptionTactic = (typeof DISRUPTION_TACTICS)[number];
/** Orders a court makes on a police application (applied for, then granted or refused); breach of each is an offence. */
export const CIVIL_ORDERS = [
  'sexual-harm-prevention-order',
  'sexual-risk-order',
  // Widened (issue 13, docs/disruption.md).
  'domestic-abuse-protection-order',
  'stalking-protection-order',
  'interim-stalking-protection-order',
] as const;
export type CivilOrder = (typeof CIVIL_ORDERS)[number];
/** What a disruption decision may choose: a police action (DISRUPTION_TACTICS) or a court order (CIVIL_ORDERS). */
export const DISRUPTION_OPTIONS = [...DISRUPTION_TACTICS, ...CIVIL_ORDERS] as const;
export type DisruptionOption = (typeof DISRUPTION_OPTIONS)[number];
/** The police's response to a breach of an order (breach of each order in CIVIL_ORDERS is a criminal offence). */
export const BREACH_RESPONSES = ['arrested', 'voluntary-interview', 'charged', 'reported-for-summons', 'no-further-action'] as const;
export type BreachResponse = (typeof BREACH_RESPONSES)[number];

/** PNC ID: two-digit year, serial, check letter (`12/345678A`). The check letter is not verified here. */
export const PNC_ID_PATTERN = '^[0-9]{2}/[0-9]{1,7}[A-Z]$';
/** CRO number: serial, two-digit year, check letter (`123456/12A`). */
export const CRO_NUMBER_PATTERN = '^[0-9]{1,6}/[0-9]{2}[A-Z]$';
/** CPS charging decision reference (e.g. the case URN `52AS0421126`). */
export const CPS_REFERENCE_PATTERN = '^[A-Z0-9][A-Z0-9/-]{3,31}$';
