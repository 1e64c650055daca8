// The cases context's vocabulary: offence groups and codes, reasons, categories, reference patterns (events: cases.events.ts).

/** Offence groups a RASSO case can be recorded under (Home Office offence classification, abridged). */
export const OFFENCE_GROUPS = [
  'rape-of-female-16-plus',
  'rape-of-female-under-16',
  'rape-of-female-under-13',
  'rape-of-male-16-plus',
  'rape-of-male-under-16',
  'rape-of-male-under-13',
  'sexual-assault',
  'sexual-activity-with-child',
  'other-sexual-offence',
] as const;
export type OffenceGroup = (typeof OFFENCE_GROUPS)[number];

/**
 * Home Office offence classification codes (Home Office Counting Rules) by offence group: abridged, and the
 * codes should be checked against the current counting rules before relying on them. A rape group maps to
 * exactly one code; the other groups span several (the victim's sex and age decide).
 */
export const OFFENCE_CLASSIFICATIONS: readonly { readonly code: string; readonly offence: OffenceGroup }[] = [
  { code: '19C', offence: 'rape-of-female-16-plus' },
  { code: '19D', offence: 'rape-of-female-under-16' },
  { code: '19E', offence: 'rape-of-female-under-13' },
  { code: '19F', offence: 'rape-of-male-16-plus' },
  { code: '19G', offence: 'rape-of-male-under-16' },
  { code: '19H', offence: 'rape-of-male-under-13' },
  { code: '17A', offence: 'sexual-assault' },
  { code: '17B', offence: 'sexual-assault' },
  { code: '20A', offence: 'sexual-assault' },
  { code: '20B', offence: 'sexual-assault' },
  { code: '21', offence: 'sexual-activity-with-child' },
  { code: '22B', offence: 'sexual-activity-with-child' },
  { code: '88A', offence: 'other-sexual-offence' },
  { code: '88E', offence: 'other-sexual-offence' },
];
export const OFFENCE_CODES: readonly string[] = OFFENCE_CLASSIFICATIONS.map((c) => c.code);

/** The codes of one group. */
export function offenceCodesOf(offence: OffenceGroup): readonly string[] {
  return OFFENCE_CLASSIFICATIONS.filter((c) => c.offence === offence).map((c) => c.code);
}

/** The one code a group determines (the rape groups), or undefined when the group spans several. */
export function soleOffenceCode(offence: OffenceGroup): string | undefined {
  const codes = offenceCodesOf(offence);
  return codes.length === 1 ? codes[0] : undefined;
}

/**
 * Why a report or a recorded crime was cancelled (Home Office Crime Recording Rules, cancellation criteria,
 * abridged). A code list, never free text: the reason is audited nationally.
 */
export const CANCELLATION_REASONS = [
  'additional-verifiable-information-no-crime',
  'transferred-to-another-force',
  'duplicate-record',
  'committed-outside-england-and-wales',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** Lines of enquiry; the NOM expects a plan to investigate the suspect, not the victim's credibility. */
export const LINE_OF_ENQUIRY_CATEGORIES = [
  'suspect-history',
  'suspect-digital',
  'suspect-associates',
  'pattern-of-behaviour',
  'cctv',
  'forensic',
  'third-party-material',
  'other',
] as const;
export type LineOfEnquiryCategory = (typeof LINE_OF_ENQUIRY_CATEGORIES)[number];
/** The categories that focus on the suspect; a plan needs at least one. */
export const SUSPECT_FOCUSED_CATEGORIES: readonly LineOfEnquiryCategory[] = [
  'suspect-history',
  'suspect-digital',
  'suspect-associates',
  'pattern-of-behaviour',
];
export const LINE_OF_ENQUIRY_STATUSES = ['open', 'completed'] as const;
export type LineOfEnquiryStatus = (typeof LINE_OF_ENQUIRY_STATUSES)[number];

export const DEVICE_OWNER_ROLES = ['victim', 'witness', 'suspect'] as const;
export type DeviceOwnerRole = (typeof DEVICE_OWNER_ROLES)[number];
export const DEVICE_DATA_CATEGORIES = [
  'messages',
  'call-logs',
  'contacts',
  'photos-and-videos',
  'location',
  'internet-history',
  'social-media',
  'documents',
] as const;
export type DeviceDataCategory = (typeof DEVICE_DATA_CATEGORIES)[number];
export const THIRD_PARTY_HOLDERS = ['health', 'social-services', 'education', 'counselling', 'other'] as const;
export type ThirdPartyHolder = (typeof THIRD_PARTY_HOLDERS)[number];
export const CHARGING_DECISIONS = ['charge', 'no-further-action', 'further-investigation-requested', 'alternative-disposal'] as const;
export type ChargingDecision = (typeof CHARGING_DECISIONS)[number];
/**
 * The Victims' Right to Review schemes (Victims' Code right 7 and the police and CPS VRR schemes): the police
 * scheme reviews a police decision not to charge (an outcome other than charge, outside the CPS's decisions), the
 * CPS scheme a CPS decision not to charge (a charging decision of no further action, or outcome 9).
 */
export const RIGHT_TO_REVIEW_SCHEMES = ['police', 'cps'] as const;
export type RightToReviewScheme = (typeof RIGHT_TO_REVIEW_SCHEMES)[number];
/** A review either leaves the original decision standing or overturns it (the case is then reopened). */
export const RIGHT_TO_REVIEW_RESULTS = ['original-decision-stands', 'original-decision-overturned'] as const;
export type RightToReviewResult = (typeof RIGHT_TO_REVIEW_RESULTS)[number];
/**
 * Why the police decided not to investigate a recorded crime (Victims' Code 2021, right 6: the victim is told of the
 * decision, with the reasons, within the update deadline): the force's assessment found no realistic line of enquiry,
 * or the victim does not want an investigation (a decision the victim can ask to be reviewed), or another reason.
 */
export const NOT_INVESTIGATED_REASONS = ['no-realistic-line-of-enquiry', 'victim-does-not-want-investigation', 'other'] as const;
export type NotInvestigatedReason = (typeof NOT_INVESTIGATED_REASONS)[number];
export const REOPENING_REASONS = ['new-evidence', 'suspect-identified', 'victim-re-engaged', 'victim-right-to-review', 'other'] as const;
export type ReopeningReason = (typeof REOPENING_REASONS)[number];

/** N100 incident reference and crime reference number (CRN): the force's own formats. */
export const REFERENCE_PATTERN = '^[A-Z0-9][A-Z0-9/-]{2,31}$';
export const OFFICER_ID_PATTERN = '^[A-Za-z0-9-]{2,32}$';
