/**
 * Home Office crime outcome types (Crime Outcomes in England and Wales, user guide and technical annex; the
 * framework in force since April 2014, outcome 22 added in 2016): docs/outcome-rules.md cites what each rule
 * below rests on. Wording is abridged.
 *
 * `needsSuspect`: the outcome can only be given when a named suspect has been identified. Every outcome names a
 * suspect except 14 (suspect not identified), 18 (investigation complete, no suspect identified) and 20 (action by
 * another body, which may be taken without one).
 */
export interface OutcomeType {
  readonly code: number;
  readonly label: string;
  readonly needsSuspect: boolean;
  /** Offence groups the disposal is not open to (penalty notices, cannabis/khat warnings, community resolutions). */
  readonly notFor?: (offence: string) => boolean;
  /** A caution for an indictable-only offence: only in exceptional circumstances, with the CPS's agreement. */
  readonly cautionOrWarning?: true;
}

/** Rape (SOA 2003 ss1 and 5, Home Office classes 19C–19H): indictable only. */
export function isRape(offence: string): boolean {
  return offence.startsWith('rape-');
}

/**
 * Penalty notices for disorder are open only to the offences listed in the Criminal Justice and Police Act 2001
 * (s1), and cannabis/khat warnings only to possessing those drugs: no sexual offence is among them.
 */
export function isSexualOffence(offence: string): boolean {
  return offence.length > 0;
}

/**
 * Offences triable only on indictment, as far as the offence group tells: rape. The other groups span offences
 * of both kinds (classes 17A/20A hold assault by penetration, indictable only, and sexual assault, either way), so
 * they are not treated as indictable only; docs/outcome-rules.md says so.
 */
export function isIndictableOnly(offence: string): boolean {
  return isRape(offence);
}

export const OUTCOME_TYPES: readonly OutcomeType[] = [
  { code: 1, label: 'Charged/summonsed', needsSuspect: true },
  { code: 2, label: 'Youth caution', needsSuspect: true, cautionOrWarning: true },
  { code: 3, label: 'Adult caution', needsSuspect: true, cautionOrWarning: true },
  { code: 4, label: 'Taken into consideration', needsSuspect: true },
  { code: 5, label: 'Offender died', needsSuspect: true },
  { code: 6, label: 'Penalty notice for disorder', needsSuspect: true, notFor: isSexualOffence },
  { code: 7, label: 'Cannabis/khat warning', needsSuspect: true, notFor: isSexualOffence },
  { code: 8, label: 'Community resolution', needsSuspect: true, notFor: isRape },
  { code: 9, label: 'Prosecution not in the public interest (CPS)', needsSuspect: true },
  { code: 10, label: 'Formal action not in the public interest (police)', needsSuspect: true },
  { code: 11, label: 'Prosecution prevented: named suspect under the age of criminal responsibility', needsSuspect: true },
  { code: 12, label: 'Prosecution prevented: named suspect too ill', needsSuspect: true },
  { code: 13, label: 'Prosecution prevented: named suspect identified, victim or key witness dead or too ill', needsSuspect: true },
  { code: 14, label: 'Evidential difficulties: suspect not identified, victim does not support further action', needsSuspect: false },
  { code: 15, label: 'Evidential difficulties: named suspect identified, victim supports action', needsSuspect: true },
  { code: 16, label: 'Evidential difficulties: named suspect identified, victim does not support further action', needsSuspect: true },
  { code: 17, label: 'Prosecution time limit expired: named suspect identified', needsSuspect: true },
  { code: 18, label: 'Investigation complete: no suspect identified', needsSuspect: false },
  { code: 20, label: 'Further action undertaken by another body or agency', needsSuspect: false },
  {
    code: 21,
    label: 'Further investigation to support formal action against the suspect not in the public interest (police)',
    needsSuspect: true,
  },
  { code: 22, label: 'Diversionary, educational or intervention activity', needsSuspect: true },
];

/** Outcome types of the framework that never apply to a RASSO crime: known, so refused with the reason. */
export const NOT_APPLICABLE_OUTCOMES: readonly { readonly code: number; readonly label: string; readonly reason: string }[] = [
  {
    code: 19,
    label: 'National Fraud Intelligence Bureau filed',
    reason: 'outcome 19 is for fraud reports filed by the National Fraud Intelligence Bureau, never a RASSO outcome',
  },
];

/** The outcome types a RASSO case can be closed with. */
export const OUTCOME_CODES: readonly number[] = OUTCOME_TYPES.map((o) => o.code);

/** Every outcome type of the framework, applicable or not (1 to 22). */
export const HOME_OFFICE_OUTCOME_CODES: readonly number[] = [...OUTCOME_CODES, ...NOT_APPLICABLE_OUTCOMES.map((o) => o.code)].sort(
  (a, b) => a - b,
);

export function outcomeType(code: number): OutcomeType | undefined {
  return OUTCOME_TYPES.find((o) => o.code === code);
}

export function notApplicableOutcome(code: number): { readonly code: number; readonly label: string; readonly reason: string } | undefined {
  return NOT_APPLICABLE_OUTCOMES.find((o) => o.code === code);
}
