/**
 * Home Office crime outcome types (DOMAIN.md, lifecycle step 7). There is no outcome 19.
 * `needsSuspect`: the outcome can only be given when a suspect has been identified.
 * Wording is abridged; check it against the Home Office technical annex before relying on it.
 */
export interface OutcomeType {
  readonly code: number;
  readonly label: string;
  readonly needsSuspect: boolean;
}

export const OUTCOME_TYPES: readonly OutcomeType[] = [
  { code: 1, label: 'Charged/summonsed', needsSuspect: true },
  { code: 2, label: 'Youth caution', needsSuspect: true },
  { code: 3, label: 'Adult caution', needsSuspect: true },
  { code: 4, label: 'Taken into consideration', needsSuspect: true },
  { code: 5, label: 'Offender died', needsSuspect: true },
  { code: 6, label: 'Penalty notice', needsSuspect: true },
  { code: 7, label: 'Cannabis/khat warning', needsSuspect: true },
  { code: 8, label: 'Community resolution', needsSuspect: true },
  { code: 9, label: 'Prosecution not in the public interest (CPS)', needsSuspect: true },
  { code: 10, label: 'Formal action not in the public interest (police)', needsSuspect: true },
  { code: 11, label: 'Suspect under age', needsSuspect: true },
  { code: 12, label: 'Suspect too ill', needsSuspect: true },
  { code: 13, label: 'Victim/key witness dead or too ill', needsSuspect: false },
  { code: 14, label: 'Evidential difficulties: suspect not identified, victim does not support action', needsSuspect: false },
  { code: 15, label: 'Evidential difficulties: suspect identified, victim supports action', needsSuspect: true },
  { code: 16, label: 'Evidential difficulties: victim does not support action', needsSuspect: false },
  { code: 17, label: 'Time limit expired', needsSuspect: false },
  { code: 18, label: 'Investigation complete, no suspect identified', needsSuspect: false },
  { code: 20, label: 'Action by another body', needsSuspect: false },
  { code: 21, label: 'Further investigation not in the public interest', needsSuspect: false },
  { code: 22, label: 'Diversionary activity', needsSuspect: true },
];

export const OUTCOME_CODES: readonly number[] = OUTCOME_TYPES.map((o) => o.code);

export function outcomeType(code: number): OutcomeType | undefined {
  return OUTCOME_TYPES.find((o) => o.code === code);
}
