// The CPS part of a case's vocabulary (issue 13; docs/cps-rules.md): action plans, the tests a charging decision
// applies, the Threshold Test's conditions and why a file is finalised administratively (events: cases.cps-events.ts).

/**
 * What a CPS action plan asks the police to do (early investigative advice, or a decision asking for further
 * investigation: Director's Guidance on Charging, 6th edition). Categories only, never free text: the action plan's
 * wording stays in the CPS's and the force's case files.
 */
export const CPS_ACTION_CATEGORIES = [
  'witness-statement',
  'victim-account',
  'suspect-interview',
  'digital-material',
  'third-party-material',
  'forensic-or-medical-evidence',
  'cctv',
  'disclosure-schedules',
  'bad-character-or-history',
  'other',
] as const;
export type CpsActionCategory = (typeof CPS_ACTION_CATEGORIES)[number];

/** The test a charging decision applies (Code for Crown Prosecutors, sections 4 and 5). */
export const CHARGING_TESTS = ['full-code', 'threshold'] as const;
export type ChargingTest = (typeof CHARGING_TESTS)[number];

/**
 * The Threshold Test's conditions (Code for Crown Prosecutors 2018, section 5, applied by DG6): every one must be
 * met for a suspect to be charged on it. The first four decide whether the test may be applied at all; the last two
 * are its evidential (reasonable suspicion, further evidence) and public interest stages.
 */
export const THRESHOLD_TEST_CONDITIONS = [
  'insufficient-evidence-for-full-code-test-now',
  'further-evidence-expected-within-reasonable-period',
  'seriousness-justifies-immediate-decision',
  'substantial-grounds-to-object-to-bail',
  'reasonable-suspicion',
  'public-interest-requires-prosecution',
] as const;
export type ThresholdTestCondition = (typeof THRESHOLD_TEST_CONDITIONS)[number];

/**
 * Why the CPS finalised a charging file administratively: not a prosecution decision, the file is closed on the
 * CPS's system and may be submitted again with new material.
 */
export const ADMINISTRATIVE_FINALISATION_REASONS = [
  'action-plan-not-answered',
  'police-not-pursuing',
  'material-not-provided',
  'other',
] as const;
export type AdministrativeFinalisationReason = (typeof ADMINISTRATIVE_FINALISATION_REASONS)[number];

/** How many actions an action plan holds at most (a bound for the schema and the DTOs). */
export const MAX_CPS_ACTIONS = 50;
