import {
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  recordSchema as record,
  textSchema,
  uuidSchema as uuid,
} from './json-schema.js';
import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { CPS_REFERENCE_PATTERN } from './suspects.vocabulary.js';
import { CPS_EVENTS } from './cases.cps-events.js';
import { DIGITAL_MATERIAL_EVENTS, DIGITAL_MATERIAL_SUPERSEDED } from './cases.digital-events.js';
import { PROBLEM_PROFILE_EVENTS } from './cases.problem-profile-events.js';
import { OUTCOME_CODES } from './outcome-codes.js';
import {
  OFFENCE_GROUPS,
  OFFENCE_CODES,
  CANCELLATION_REASONS,
  LINE_OF_ENQUIRY_CATEGORIES,
  LINE_OF_ENQUIRY_STATUSES,
  NOT_INVESTIGATED_REASONS,
  REOPENING_REASONS,
  RIGHT_TO_REVIEW_RESULTS,
  RIGHT_TO_REVIEW_SCHEMES,
  REFERENCE_PATTERN,
  OFFICER_ID_PATTERN,
} from './cases.vocabulary.js';

const reference = { type: 'string', pattern: REFERENCE_PATTERN } as const;
const officerId = { type: 'string', pattern: OFFICER_ID_PATTERN } as const;
const cpsReference = { type: 'string', pattern: CPS_REFERENCE_PATTERN } as const;

function onCase<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  return record({ caseId: uuid, ...properties }, optional);
}

const caseId = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const lineId = '8a9b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d';
const reviewId = '5d1e7c2a-3b4f-4a6e-9c8d-7e6f5a4b3c2d';
const victimId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const context = 'cases';

/**
 * The cases context (NOM lifecycle steps 1-2 and 5-7): one stream per case, each event declared once (ADR 0036).
 * Event type names are string literals, never class names (DESIGN.md section 3). A type is never changed in place:
 * a breaking change is a new version (`crime-recorded.v2`), and stored events of the old version are upcast on read
 * (upcasting.ts).
 */
const E = {
  ReportReceived: defineEvent({
    type: 'uk.police.nom.cases.report-received.v1',
    context,
    summary: 'A rape or serious sexual offence was reported and logged as an N100 incident, not yet recorded as a crime.',
    schema: onCase({
      /** The N100 incident reference: a rape report not yet recorded as a crime. */
      n100Reference: reference,
      reportedAt: instant,
      receivedAt: instant,
    }),
    example: { caseId, n100Reference: 'AS/N100/26/00871', reportedAt: '2026-11-02T21:14:00Z', receivedAt: '2026-11-02T21:20:00Z' },
  }),
  /**
   * v2 keeps the Home Office classification code alongside the group (the group alone cannot be counted:
   * "sexual assault" spans four classes) and says explicitly whether the crime came from an N100 incident.
   */
  CrimeRecorded: defineEvent({
    type: 'uk.police.nom.cases.crime-recorded.v2',
    context,
    summary:
      'A report was recorded as a crime under the Crime Recording Rules, with its offence group and Home Office classification code, from an N100 incident or directly. Replaces crime-recorded.v1.',
    schema: onCase({
      /** The force's own crime reference number (CRN). */
      crimeReference: reference,
      offence: enumOf(OFFENCE_GROUPS),
      /** Home Office classification code; null only on v1 events whose group spans several codes. */
      offenceCode: { enum: [...OFFENCE_CODES, null] },
      /** The N100 incident it was recorded from; null when recorded directly. */
      n100Reference: { anyOf: [reference, { type: 'null' }] },
      /** When the victim (or a third party) reported it. */
      reportedAt: instant,
      /** When the crime was recorded under the Home Office Crime Recording Rules. */
      recordedAt: instant,
    }),
    example: {
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      offenceCode: '19C',
      n100Reference: 'AS/N100/26/00871',
      reportedAt: '2026-11-02T21:14:00Z',
      recordedAt: '2026-11-03T08:30:00Z',
    },
  }),
  RecordingCancelled: defineEvent({
    type: 'uk.police.nom.cases.recording-cancelled.v1',
    context,
    summary:
      'An N100 report was closed without a crime, or a recorded crime was cancelled, for a reason from the Crime Recording Rules cancellation criteria.',
    schema: onCase({
      /** `report`: the N100 incident closed without a crime; `crime`: a recorded crime was cancelled. */
      stage: enumOf(['report', 'crime']),
      reason: enumOf(CANCELLATION_REASONS),
      cancelledAt: instant,
    }),
    example: { caseId, stage: 'crime', reason: 'transferred-to-another-force', cancelledAt: '2026-11-04T10:00:00Z' },
  }),
  /** The problem profile's facts (cases.problem-profile-events.ts). */
  ...PROBLEM_PROFILE_EVENTS,
  InvestigationOpened: defineEvent({
    type: 'uk.police.nom.cases.investigation-opened.v1',
    context,
    summary: 'An investigation was opened on a recorded crime.',
    schema: onCase({ openedAt: instant }),
    example: {
      caseId,
      openedAt: '2026-11-03T09:00:00Z',
    },
  }),
  DecidedNotToInvestigate: defineEvent({
    type: 'uk.police.nom.cases.decided-not-to-investigate.v1',
    context,
    summary:
      "The police decided not to investigate a recorded crime; the victim is owed the decision with the reasons (Victims' Code right 6).",
    schema: onCase({
      reason: enumOf(NOT_INVESTIGATED_REASONS),
      /** The supervisor who made the decision. */
      decidedBy: officerId,
      /** Personal free text: the reasons as they are to be explained to the victim. */
      explanation: textSchema(2000),
      decidedAt: instant,
    }),
    personalFields: ['/explanation'],
    example: {
      caseId,
      reason: 'victim-does-not-want-investigation',
      decidedBy: 'AS-2210',
      explanation: 'The victim asked for the report to be kept on record without an investigation at this time.',
      decidedAt: '2026-11-04T10:00:00Z',
    },
  }),
  InvestigatorAssigned: defineEvent({
    type: 'uk.police.nom.cases.investigator-assigned.v1',
    context,
    summary: 'An investigator (officer in the case) was assigned; replaces any earlier assignment.',
    schema: onCase({
      /** Officer id (collar/warrant reference), not a name: names are personal data. */
      officerId,
      assignedAt: instant,
    }),
    example: { caseId, officerId: 'AS-4471', assignedAt: '2026-11-03T09:05:00Z' },
  }),
  SupervisorAssigned: defineEvent({
    type: 'uk.police.nom.cases.supervisor-assigned.v1',
    context,
    summary: 'A supervisor was assigned to oversee the investigation (never the investigator); replaces any earlier one.',
    schema: onCase({ officerId, assignedAt: instant }),
    example: { caseId, officerId: 'AS-2210', assignedAt: '2026-11-03T09:10:00Z' },
  }),
  InvestigationPlanSet: defineEvent({
    type: 'uk.police.nom.cases.investigation-plan-set.v1',
    context,
    summary: 'The investigation plan was set or revised: suspect-focused lines of enquiry by category and status (no free text).',
    schema: onCase({
      /** The whole plan, replacing any earlier one. Ids, categories and status only: no free text. */
      linesOfEnquiry: list(
        record({ lineId: uuid, category: enumOf(LINE_OF_ENQUIRY_CATEGORIES), status: enumOf(LINE_OF_ENQUIRY_STATUSES) }),
        1,
      ),
      setAt: instant,
    }),
    example: { caseId, linesOfEnquiry: [{ lineId, category: 'suspect-history', status: 'open' }], setAt: '2026-11-03T11:00:00Z' },
  }),
  LineOfEnquiryCompleted: defineEvent({
    type: 'uk.police.nom.cases.line-of-enquiry-completed.v1',
    context,
    summary: 'A line of enquiry of the plan was completed.',
    schema: onCase({ lineId: uuid, completedAt: instant }),
    example: {
      caseId,
      lineId,
      completedAt: '2026-11-10T15:00:00Z',
    },
  }),
  SuspectLinked: defineEvent({
    type: 'uk.police.nom.cases.suspect-linked.v1',
    context,
    summary: 'A suspect identified in the suspects context was linked to the case (outcomes 1-12, 15 and 22 need one).',
    schema: onCase({
      /** The suspect's id in the suspects context (one suspect stream per suspect in a case). */
      suspectId: uuid,
      linkedAt: instant,
    }),
    example: { caseId, suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f', linkedAt: '2026-11-04T10:20:00Z' },
  }),
  /** Digital material (cases.digital-events.ts): device extractions and third-party material. */
  ...DIGITAL_MATERIAL_EVENTS,
  /** The CPS part of the case (cases.cps-events.ts), in its place in the lifecycle. */
  ...CPS_EVENTS,
  OutcomeRecorded: defineEvent({
    type: 'uk.police.nom.cases.outcome-recorded.v1',
    context,
    summary: 'The investigation closed with a Home Office outcome type (1-18, 20-22; those naming a suspect need one linked).',
    schema: onCase(
      {
        outcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] },
        recordedAt: instant,
        /**
         * The CPS's agreement to a caution (outcomes 2, 3) for an indictable-only offence, by CPS reference. Optional,
         * added in catalogue minor version: absent on every other outcome.
         */
        cpsAgreementReference: cpsReference,
      },
      ['cpsAgreementReference'],
    ),
    example: { caseId, outcomeCode: 1, recordedAt: '2027-09-14T16:00:00Z' },
  }),
  RightToReviewRequested: defineEvent({
    type: 'uk.police.nom.cases.right-to-review-requested.v1',
    context,
    summary: "A victim asked for a review of a decision not to charge (Victims' Right to Review, police or CPS scheme).",
    schema: onCase({
      /** Identifies the review; its decision names it. */
      reviewId: uuid,
      /** The victim who asked (a victim of the case). */
      victimId: uuid,
      scheme: enumOf(RIGHT_TO_REVIEW_SCHEMES),
      /** The outcome under review (police scheme), or the case's outcome when the CPS's decision is reviewed. */
      outcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] },
      requestedAt: instant,
    }),
    example: { caseId, reviewId, victimId, scheme: 'police', outcomeCode: 15, requestedAt: '2027-10-01T10:00:00Z' },
  }),
  RightToReviewDecided: defineEvent({
    type: 'uk.police.nom.cases.right-to-review-decided.v1',
    context,
    summary: "A Victims' Right to Review was decided: the original decision stands, or is overturned (the case is then reopened).",
    schema: onCase({ reviewId: uuid, result: enumOf(RIGHT_TO_REVIEW_RESULTS), decidedAt: instant }),
    example: { caseId, reviewId, result: 'original-decision-overturned', decidedAt: '2027-11-15T12:00:00Z' },
  }),
  CaseReopened: defineEvent({
    type: 'uk.police.nom.cases.case-reopened.v1',
    context,
    summary: 'A closed case was reopened, with the reason; the investigation is open again.',
    schema: onCase({
      reason: enumOf(REOPENING_REASONS),
      /** The outcome the case had been closed with. */
      previousOutcomeCode: { type: 'integer', enum: [...OUTCOME_CODES] },
      reopenedAt: instant,
    }),
    example: { caseId, reason: 'new-evidence', previousOutcomeCode: 18, reopenedAt: '2028-01-10T09:00:00Z' },
  }),
};

/**
 * Versions kept in the catalogue only because stored events still carry them. No code appends them; readers
 * see them upcast to the current version (upcasting.ts).
 */
const SUPERSEDED = {
  /** v1, superseded by v2: kept because stored events carry it; readers see it upcast (upcasting.ts). */
  CrimeRecordedV1: defineEvent({
    type: 'uk.police.nom.cases.crime-recorded.v1',
    context,
    summary:
      'Deprecated, superseded by crime-recorded.v2: no longer appended; stored events are upcast to v2 on read (offenceCode from the group where it determines one, else null; n100Reference null).',
    schema: onCase({
      crimeReference: reference,
      offence: enumOf(OFFENCE_GROUPS),
      reportedAt: instant,
      recordedAt: instant,
    }),
    example: {
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      reportedAt: '2026-11-02T21:14:00Z',
      recordedAt: '2026-11-03T08:30:00Z',
    },
  }),
  /** device-extraction-requested.v1 and third-party-material-requested.v1 (cases.digital-events.ts). */
  ...DIGITAL_MATERIAL_SUPERSEDED,
};

export const CaseEventTypes = typesOf(E);
export type CaseEventType = (typeof CaseEventTypes)[keyof typeof CaseEventTypes];
export const SupersededCaseEventTypes = typesOf(SUPERSEDED);
/** Each case event's data, by name (inferred from its schema; the superseded versions too). */
export type CaseEventData = DataMap<typeof E & typeof SUPERSEDED>;
export type CrimeRecordedData = CaseEventData['CrimeRecorded'];
export type CrimeRecordedV1Data = CaseEventData['CrimeRecordedV1'];
export type LineOfEnquiry = CaseEventData['InvestigationPlanSet']['linesOfEnquiry'][number];
export type ExtractionScope = CaseEventData['DeviceExtractionRequested']['scope'];
export type DeviceExtractionNotice = CaseEventData['DeviceExtractionRequested']['notice'];
export type CaseEvent = EventUnion<typeof E>;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const caseEventSchemas = schemasOf(E);

const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(CaseEventTypes));

export function isCaseEventType(type: string): type is CaseEventType {
  return CASE_EVENT_TYPES.has(type);
}

/** The cases context's event catalogue entries (the superseded v1 last). */
export const CASE_EVENTS = catalogueOf({ ...E, ...SUPERSEDED });

export * from './cases.vocabulary.js';
export * from './cases.profile-vocabulary.js';
export * from './cases.cps-vocabulary.js';
