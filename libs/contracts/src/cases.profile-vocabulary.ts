// The cases context's vocabulary for digital material and the problem profile (issue 13; docs/digital-material.md).

/** What came of a request for third-party material (the holder disclosed it, refused, or holds none). */
export const THIRD_PARTY_OUTCOMES = ['disclosed', 'refused', 'none-held'] as const;
export type ThirdPartyOutcome = (typeof THIRD_PARTY_OUTCOMES)[number];

/**
 * The victim's relationship to the suspect, as the problem profile counts it. `partner-or-ex-partner` and
 * `family-member` are "personally connected" under the Domestic Abuse Act 2021 s2 (partners, ex-partners, relatives).
 */
export const RELATIONSHIPS_TO_SUSPECT = [
  'partner-or-ex-partner',
  'family-member',
  'friend-or-acquaintance',
  'position-of-trust',
  'online-contact-only',
  'stranger',
  'other',
  'not-known',
] as const;
export type RelationshipToSuspect = (typeof RELATIONSHIPS_TO_SUSPECT)[number];
/** The relationships in which the two are personally connected (Domestic Abuse Act 2021 s2(1)). */
export const PERSONALLY_CONNECTED: readonly RelationshipToSuspect[] = ['partner-or-ex-partner', 'family-member'];

/** Whether the case is flagged as domestic abuse (Domestic Abuse Act 2021 s1): a code, never a boolean, so erasure keeps its type. */
export const DOMESTIC_ABUSE_FLAGS = ['flagged', 'not-flagged'] as const;
export type DomesticAbuseFlag = (typeof DOMESTIC_ABUSE_FLAGS)[number];

/** Age at the time of the offence, in bands (never a date of birth); the first three follow the Sexual Offences Act 2003. */
export const AGE_BANDS = ['under-13', '13-15', '16-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-plus', 'not-known'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
/** The bands of a child under 16: the Domestic Abuse Act 2021 s1(2)(a) applies from 16. */
export const UNDER_16_BANDS: readonly AgeBand[] = ['under-13', '13-15'];
