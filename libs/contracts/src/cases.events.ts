import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  recordSchema as record,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import { CPS_REFERENCE_PATTERN } from './suspects.events.js';
import { OUTCOME_CODES } from './outcome-codes.js';

/**
 * The cases context (NOM lifecycle steps 1-2 and 5-7): one stream per case. Event type names are string
 * literals, never class names (DESIGN.md section 3). A type is never changed in place: a breaking change is a
 * new version (`crime-recorded.v2`), and stored events of the old version are upcast on read (upcasting.ts).
 */
export const CaseEventTypes = {
  ReportReceived: 'uk.police.nom.cases.report-received.v1',
  CrimeRecorded: 'uk.police.nom.cases.crime-recorded.v2',
  RecordingCancelled: 'uk.police.nom.cases.recording-cancelled.v1',
  InvestigationOpened: 'uk.police.nom.cases.investigation-opened.v1',
  InvestigatorAssigned: 'uk.police.nom.cases.investigator-assigned.v1',
  SupervisorAssigned: 'uk.police.nom.cases.supervisor-assigned.v1',
  InvestigationPlanSet: 'uk.police.nom.cases.investigation-plan-set.v1',
  LineOfEnquiryCompleted: 'uk.police.nom.cases.line-of-enquiry-completed.v1',
  SuspectLinked: 'uk.police.nom.cases.suspect-linked.v1',
  DeviceExtractionRequested: 'uk.police.nom.cases.device-extraction-requested.v1',
  DeviceExtractionAgreed: 'uk.police.nom.cases.device-extraction-agreed.v1',
  DeviceExtractionRefused: 'uk.police.nom.cases.device-extraction-refused.v1',
  DeviceExtractionCompleted: 'uk.police.nom.cases.device-extraction-completed.v1',
  DeviceReturned: 'uk.police.nom.cases.device-returned.v1',
  ThirdPartyMaterialRequested: 'uk.police.nom.cases.third-party-material-requested.v1',
  CpsEarlyAdviceRequested: 'uk.police.nom.cases.cps-early-advice-requested.v1',
  ChargingFileSubmitted: 'uk.police.nom.cases.charging-file-submitted.v1',
  ChargingDecisionMade: 'uk.police.nom.cases.charging-decision-made.v1',
  OutcomeRecorded: 'uk.police.nom.cases.outcome-recorded.v1',
  CaseReopened: 'uk.police.nom.cases.case-reopened.v1',
} as const;
export type CaseEventType = (typeof CaseEventTypes)[keyof typeof CaseEventTypes];

/**
 * Versions kept in the catalogue only because stored events still carry them. No code appends them; readers
 * see them upcast to the current version (upcasting.ts).
 */
export const SupersededCaseEventTypes = {
  CrimeRecordedV1: 'uk.police.nom.cases.crime-recorded.v1',
} as const;

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
export const REOPENING_REASONS = ['new-evidence', 'suspect-identified', 'victim-re-engaged', 'victim-right-to-review', 'other'] as const;
export type ReopeningReason = (typeof REOPENING_REASONS)[number];

/** N100 incident reference and crime reference number (CRN): the force's own formats. */
export const REFERENCE_PATTERN = '^[A-Z0-9][A-Z0-9/-]{2,31}$';
export const OFFICER_ID_PATTERN = '^[A-Za-z0-9-]{2,32}$';

interface OnCase {
  readonly caseId: string;
}
export interface ReportReceivedData extends OnCase {
  /** The N100 incident reference: a rape report not yet recorded as a crime. */
  readonly n100Reference: string;
  readonly reportedAt: string;
  readonly receivedAt: string;
}
/** v1, superseded by v2: kept because stored events carry it; readers see it upcast (upcasting.ts). */
export interface CrimeRecordedV1Data extends OnCase {
  readonly crimeReference: string;
  readonly offence: OffenceGroup;
  readonly reportedAt: string;
  readonly recordedAt: string;
}
/**
 * v2 keeps the Home Office classification code alongside the group (the group alone cannot be counted:
 * "sexual assault" spans four classes) and says explicitly whether the crime came from an N100 incident.
 */
export interface CrimeRecordedData extends OnCase {
  /** The force's own crime reference number (CRN). */
  readonly crimeReference: string;
  readonly offence: OffenceGroup;
  /** Home Office classification code; null only on v1 events whose group spans several codes. */
  readonly offenceCode: string | null;
  /** The N100 incident it was recorded from; null when recorded directly. */
  readonly n100Reference: string | null;
  /** When the victim (or a third party) reported it. */
  readonly reportedAt: string;
  /** When the crime was recorded under the Home Office Crime Recording Rules. */
  readonly recordedAt: string;
}
export interface RecordingCancelledData extends OnCase {
  /** `report`: the N100 incident closed without a crime; `crime`: a recorded crime was cancelled. */
  readonly stage: 'report' | 'crime';
  readonly reason: CancellationReason;
  readonly cancelledAt: string;
}
export interface InvestigationOpenedData extends OnCase {
  readonly openedAt: string;
}
export interface InvestigatorAssignedData extends OnCase {
  /** Officer id (collar/warrant reference), not a name: names are personal data. */
  readonly officerId: string;
  readonly assignedAt: string;
}
export interface SupervisorAssignedData extends OnCase {
  readonly officerId: string;
  readonly assignedAt: string;
}
export interface LineOfEnquiry {
  readonly lineId: string;
  readonly category: LineOfEnquiryCategory;
  readonly status: LineOfEnquiryStatus;
}
export interface InvestigationPlanSetData extends OnCase {
  /** The whole plan, replacing any earlier one. Ids, categories and status only: no free text. */
  readonly linesOfEnquiry: readonly LineOfEnquiry[];
  readonly setAt: string;
}
export interface LineOfEnquiryCompletedData extends OnCase {
  readonly lineId: string;
  readonly completedAt: string;
}
export interface SuspectLinkedData extends OnCase {
  /** The suspect's id in the suspects context (one suspect stream per suspect in a case). */
  readonly suspectId: string;
  readonly linkedAt: string;
}
export interface ExtractionScope {
  /** First and last day (ISO dates) of the data sought: no more than is necessary and proportionate. */
  readonly from: string;
  readonly to: string;
  readonly dataCategories: readonly DeviceDataCategory[];
}
export interface DeviceExtractionNotice {
  /** Personal free text: what is sought from the device, as written to its user. */
  readonly whatIsSought: string;
  /** Personal free text: why it is sought. */
  readonly why: string;
}
export interface DeviceExtractionRequestedData extends OnCase {
  readonly extractionId: string;
  readonly deviceOwner: DeviceOwnerRole;
  readonly scope: ExtractionScope;
  /** The written notice given to the device user (s37 Police, Crime, Sentencing and Courts Act 2022). */
  readonly notice: DeviceExtractionNotice;
  readonly requestedAt: string;
}
export interface DeviceExtractionAgreedData extends OnCase {
  readonly extractionId: string;
  readonly agreedAt: string;
}
export interface DeviceExtractionRefusedData extends OnCase {
  readonly extractionId: string;
  readonly refusedAt: string;
}
export interface DeviceExtractionCompletedData extends OnCase {
  readonly extractionId: string;
  readonly completedAt: string;
}
export interface DeviceReturnedData extends OnCase {
  readonly extractionId: string;
  readonly returnedAt: string;
}
export interface ThirdPartyMaterialRequestedData extends OnCase {
  readonly requestId: string;
  /** Sensitive: the holder's kind reveals e.g. health or counselling records of the victim. */
  readonly holder: ThirdPartyHolder;
  readonly requestedAt: string;
}
export interface CpsEarlyAdviceRequestedData extends OnCase {
  readonly requestedAt: string;
}
export interface ChargingFileSubmittedData extends OnCase {
  /** The CPS case reference (URN). */
  readonly cpsReference: string;
  readonly submittedAt: string;
}
export interface ChargingDecisionMadeData extends OnCase {
  readonly cpsReference: string;
  readonly decision: ChargingDecision;
  readonly decidedAt: string;
}
export interface OutcomeRecordedData extends OnCase {
  readonly outcomeCode: number;
  readonly recordedAt: string;
  /**
   * The CPS's agreement to a caution (outcomes 2, 3) for an indictable-only offence, by CPS reference. Optional,
   * added in catalogue minor version: absent on every other outcome.
   */
  readonly cpsAgreementReference?: string;
}
export interface CaseReopenedData extends OnCase {
  readonly reason: ReopeningReason;
  /** The outcome the case had been closed with. */
  readonly previousOutcomeCode: number;
  readonly reopenedAt: string;
}

type Ev<T extends CaseEventType, D> = { readonly type: T; readonly data: D };
const T = CaseEventTypes;
export type CaseEvent =
  | Ev<typeof T.ReportReceived, ReportReceivedData>
  | Ev<typeof T.CrimeRecorded, CrimeRecordedData>
  | Ev<typeof T.RecordingCancelled, RecordingCancelledData>
  | Ev<typeof T.InvestigationOpened, InvestigationOpenedData>
  | Ev<typeof T.InvestigatorAssigned, InvestigatorAssignedData>
  | Ev<typeof T.SupervisorAssigned, SupervisorAssignedData>
  | Ev<typeof T.InvestigationPlanSet, InvestigationPlanSetData>
  | Ev<typeof T.LineOfEnquiryCompleted, LineOfEnquiryCompletedData>
  | Ev<typeof T.SuspectLinked, SuspectLinkedData>
  | Ev<typeof T.DeviceExtractionRequested, DeviceExtractionRequestedData>
  | Ev<typeof T.DeviceExtractionAgreed, DeviceExtractionAgreedData>
  | Ev<typeof T.DeviceExtractionRefused, DeviceExtractionRefusedData>
  | Ev<typeof T.DeviceExtractionCompleted, DeviceExtractionCompletedData>
  | Ev<typeof T.DeviceReturned, DeviceReturnedData>
  | Ev<typeof T.ThirdPartyMaterialRequested, ThirdPartyMaterialRequestedData>
  | Ev<typeof T.CpsEarlyAdviceRequested, CpsEarlyAdviceRequestedData>
  | Ev<typeof T.ChargingFileSubmitted, ChargingFileSubmittedData>
  | Ev<typeof T.ChargingDecisionMade, ChargingDecisionMadeData>
  | Ev<typeof T.OutcomeRecorded, OutcomeRecordedData>
  | Ev<typeof T.CaseReopened, CaseReopenedData>;

const reference = { type: 'string', pattern: REFERENCE_PATTERN } as const;
const officerId = { type: 'string', pattern: OFFICER_ID_PATTERN } as const;
const cpsReference = { type: 'string', pattern: CPS_REFERENCE_PATTERN } as const;

function onCase(properties: Record<string, object>, optional: readonly string[] = []) {
  return record({ caseId: uuid, ...properties }, optional);
}

const crimeRecordedV1Schema = onCase({
  crimeReference: reference,
  offence: enumOf(OFFENCE_GROUPS),
  reportedAt: instant,
  recordedAt: instant,
});

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const caseEventSchemas: Record<CaseEventType, object> = {
  [T.ReportReceived]: onCase({ n100Reference: reference, reportedAt: instant, receivedAt: instant }),
  [T.CrimeRecorded]: onCase({
    crimeReference: reference,
    offence: enumOf(OFFENCE_GROUPS),
    offenceCode: { enum: [...OFFENCE_CODES, null] },
    n100Reference: { anyOf: [reference, { type: 'null' }] },
    reportedAt: instant,
    recordedAt: instant,
  }),
  [T.RecordingCancelled]: onCase({
    stage: enumOf(['report', 'crime']),
    reason: enumOf(CANCELLATION_REASONS),
    cancelledAt: instant,
  }),
  [T.InvestigationOpened]: onCase({ openedAt: instant }),
  [T.InvestigatorAssigned]: onCase({ officerId, assignedAt: instant }),
  [T.SupervisorAssigned]: onCase({ officerId, assignedAt: instant }),
  [T.InvestigationPlanSet]: onCase({
    linesOfEnquiry: list(
      record({ lineId: uuid, category: enumOf(LINE_OF_ENQUIRY_CATEGORIES), status: enumOf(LINE_OF_ENQUIRY_STATUSES) }),
      1,
    ),
    setAt: instant,
  }),
  [T.LineOfEnquiryCompleted]: onCase({ lineId: uuid, completedAt: instant }),
  [T.SuspectLinked]: onCase({ suspectId: uuid, linkedAt: instant }),
  [T.DeviceExtractionRequested]: onCase({
    extractionId: uuid,
    deviceOwner: enumOf(DEVICE_OWNER_ROLES),
    scope: record({ from: day, to: day, dataCategories: list(enumOf(DEVICE_DATA_CATEGORIES), 1) }),
    notice: record({ whatIsSought: text(2000), why: text(2000) }),
    requestedAt: instant,
  }),
  [T.DeviceExtractionAgreed]: onCase({ extractionId: uuid, agreedAt: instant }),
  [T.DeviceExtractionRefused]: onCase({ extractionId: uuid, refusedAt: instant }),
  [T.DeviceExtractionCompleted]: onCase({ extractionId: uuid, completedAt: instant }),
  [T.DeviceReturned]: onCase({ extractionId: uuid, returnedAt: instant }),
  [T.ThirdPartyMaterialRequested]: onCase({ requestId: uuid, holder: enumOf(THIRD_PARTY_HOLDERS), requestedAt: instant }),
  [T.CpsEarlyAdviceRequested]: onCase({ requestedAt: instant }),
  [T.ChargingFileSubmitted]: onCase({ cpsReference, submittedAt: instant }),
  [T.ChargingDecisionMade]: onCase({ cpsReference, decision: enumOf(CHARGING_DECISIONS), decidedAt: instant }),
  [T.OutcomeRecorded]: onCase({ outcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] }, recordedAt: instant, cpsAgreementReference: cpsReference }, [
    'cpsAgreementReference',
  ]),
  [T.CaseReopened]: onCase({
    reason: enumOf(REOPENING_REASONS),
    previousOutcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] },
    reopenedAt: instant,
  }),
};

const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(CaseEventTypes));

export function isCaseEventType(type: string): type is CaseEventType {
  return CASE_EVENT_TYPES.has(type);
}

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const extractionId = '6d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a';
const lineId = '8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d';

function entry<D extends object>(type: string, schema: object, summary: string, personalFields: string[], example: D): CatalogueEntry {
  return { type, context: 'cases', summary, schema, personalFields, example };
}
function current<D extends object>(type: CaseEventType, summary: string, personalFields: string[], example: D): CatalogueEntry {
  return entry(type, caseEventSchemas[type], summary, personalFields, example);
}

/** The cases context's event catalogue entries (the superseded v1 last). */
export const CASE_EVENTS: readonly CatalogueEntry[] = [
  current<ReportReceivedData>(
    T.ReportReceived,
    'A rape or serious sexual offence was reported and logged as an N100 incident, not yet recorded as a crime.',
    [],
    { caseId, n100Reference: 'AS/N100/26/00871', reportedAt: '2026-11-02T21:14:00Z', receivedAt: '2026-11-02T21:20:00Z' },
  ),
  current<CrimeRecordedData>(
    T.CrimeRecorded,
    'A report was recorded as a crime under the Crime Recording Rules, with its offence group and Home Office classification code, from an N100 incident or directly. Replaces crime-recorded.v1.',
    [],
    {
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      offenceCode: '19C',
      n100Reference: 'AS/N100/26/00871',
      reportedAt: '2026-11-02T21:14:00Z',
      recordedAt: '2026-11-03T08:30:00Z',
    },
  ),
  current<RecordingCancelledData>(
    T.RecordingCancelled,
    'An N100 report was closed without a crime, or a recorded crime was cancelled, for a reason from the Crime Recording Rules cancellation criteria.',
    [],
    { caseId, stage: 'crime', reason: 'transferred-to-another-force', cancelledAt: '2026-11-04T10:00:00Z' },
  ),
  current<InvestigationOpenedData>(T.InvestigationOpened, 'An investigation was opened on a recorded crime.', [], {
    caseId,
    openedAt: '2026-11-03T09:00:00Z',
  }),
  current<InvestigatorAssignedData>(
    T.InvestigatorAssigned,
    'An investigator (officer in the case) was assigned; replaces any earlier assignment.',
    [],
    { caseId, officerId: 'AS-4471', assignedAt: '2026-11-03T09:05:00Z' },
  ),
  current<SupervisorAssignedData>(
    T.SupervisorAssigned,
    "A supervisor was assigned to oversee the investigation (never the investigator); replaces any earlier one.",
    [],
    { caseId, officerId: 'AS-2210', assignedAt: '2026-11-03T09:10:00Z' },
  ),
  current<InvestigationPlanSetData>(
    T.InvestigationPlanSet,
    'The investigation plan was set or revised: suspect-focused lines of enquiry by category and status (no free text).',
    [],
    { caseId, linesOfEnquiry: [{ lineId, category: 'suspect-history', status: 'open' }], setAt: '2026-11-03T11:00:00Z' },
  ),
  current<LineOfEnquiryCompletedData>(T.LineOfEnquiryCompleted, 'A line of enquiry of the plan was completed.', [], {
    caseId,
    lineId,
    completedAt: '2026-11-10T15:00:00Z',
  }),
  current<SuspectLinkedData>(
    T.SuspectLinked,
    'A suspect identified in the suspects context was linked to the case (outcomes 1-12, 15 and 22 need one).',
    [],
    { caseId, suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f', linkedAt: '2026-11-04T10:20:00Z' },
  ),
  current<DeviceExtractionRequestedData>(
    T.DeviceExtractionRequested,
    "Extraction of data from a device was requested, with the scope and the written notice to the device user of what is sought and why.",
    ['/notice/whatIsSought', '/notice/why'],
    {
      caseId,
      extractionId,
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: {
        whatIsSought: 'Messages exchanged with the suspect between 30 October and 2 November 2026.',
        why: 'They may show the arrangements made on the evening of the offence.',
      },
      requestedAt: '2026-11-04T12:00:00Z',
    },
  ),
  current<DeviceExtractionAgreedData>(T.DeviceExtractionAgreed, "The device user gave informed agreement to the extraction.", [], {
    caseId,
    extractionId,
    agreedAt: '2026-11-05T10:00:00Z',
  }),
  current<DeviceExtractionRefusedData>(
    T.DeviceExtractionRefused,
    'The device user refused the extraction; the investigation continues (a refusal never closes a case).',
    [],
    { caseId, extractionId, refusedAt: '2026-11-05T10:00:00Z' },
  ),
  current<DeviceExtractionCompletedData>(T.DeviceExtractionCompleted, 'The extraction was completed within its scope.', [], {
    caseId,
    extractionId,
    completedAt: '2026-11-06T16:00:00Z',
  }),
  current<DeviceReturnedData>(T.DeviceReturned, 'The device was returned to its user.', [], {
    caseId,
    extractionId,
    returnedAt: '2026-11-07T09:00:00Z',
  }),
  current<ThirdPartyMaterialRequestedData>(
    T.ThirdPartyMaterialRequested,
    'Material held by a third party (health, social services, education, counselling) was requested; the holder category is sensitive.',
    ['/holder'],
    { caseId, requestId: 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e', holder: 'counselling', requestedAt: '2026-11-12T10:00:00Z' },
  ),
  current<CpsEarlyAdviceRequestedData>(T.CpsEarlyAdviceRequested, 'Early investigative advice was requested from the CPS.', [], {
    caseId,
    requestedAt: '2026-12-01T10:00:00Z',
  }),
  current<ChargingFileSubmittedData>(
    T.ChargingFileSubmitted,
    'A charging file was submitted to the CPS for a charging decision (Director\'s Guidance on Charging).',
    [],
    { caseId, cpsReference: '52AS0421126', submittedAt: '2027-02-10T10:00:00Z' },
  ),
  current<ChargingDecisionMadeData>(
    T.ChargingDecisionMade,
    'The CPS made a charging decision: charge, no further action, further investigation requested or an alternative disposal.',
    [],
    { caseId, cpsReference: '52AS0421126', decision: 'charge', decidedAt: '2027-03-01T15:00:00Z' },
  ),
  current<OutcomeRecordedData>(
    T.OutcomeRecorded,
    'The investigation closed with a Home Office outcome type (1-18, 20-22; those naming a suspect need one linked).',
    [],
    { caseId, outcomeCode: 1, recordedAt: '2027-09-14T16:00:00Z' },
  ),
  current<CaseReopenedData>(T.CaseReopened, 'A closed case was reopened, with the reason; the investigation is open again.', [], {
    caseId,
    reason: 'new-evidence',
    previousOutcomeCode: 18,
    reopenedAt: '2028-01-10T09:00:00Z',
  }),
  entry<CrimeRecordedV1Data>(
    SupersededCaseEventTypes.CrimeRecordedV1,
    crimeRecordedV1Schema,
    'Deprecated, superseded by crime-recorded.v2: no longer appended; stored events are upcast to v2 on read (offenceCode from the group where it determines one, else null; n100Reference null).',
    [],
    {
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-11-02T21:14:00Z',
      recordedAt: '2026-11-03T08:30:00Z',
    },
  ),
];
