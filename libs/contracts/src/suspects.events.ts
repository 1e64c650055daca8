import { authoriser, context, ids, onSuspect, orderId, victimViews } from './suspects.event-parts.js';
import { BAIL_LIFECYCLE_EVENTS } from './suspects.bail-events.js';
import { COURT_EVENTS } from './suspects.court-events.js';
import { DISRUPTION_EVENTS } from './suspects.disruption-events.js';
import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import {
  HISTORY_CHECK_SYSTEMS,
  INTERVIEW_SETTINGS,
  INTERVIEW_RESPONSES,
  DISRUPTION_TACTICS,
  CIVIL_ORDERS,
  PNC_ID_PATTERN,
  CRO_NUMBER_PATTERN,
  CPS_REFERENCE_PATTERN,
} from './suspects.vocabulary.js';

/**
 * The suspects context (NOM pillars 1 and 2): one stream per suspect in a case, each event declared once (ADR 0036).
 * Every event carries the case id and the suspect id; the same person in two cases is two suspects, linked by
 * national references (PNC ID, CRO number) and the repeat-suspect flag, never by copies of national records.
 * `victimViewsSought`: whether the victim's views on the bail conditions were sought (required where practicable).
 */
const CORE = {
  SuspectIdentified: defineEvent({
    type: 'uk.police.nom.suspects.suspect-identified.v1',
    context,
    summary: 'A suspect was identified on a case, with references to national records (PNC ID, CRO number) where known.',
    schema: onSuspect(
      {
        /** Personal. */
        name: text(200),
        /** Personal. ISO date. */
        dateOfBirth: day,
        /** Reference to the Police National Computer record; personal (an identifier of a person). */
        pncId: { type: 'string', pattern: PNC_ID_PATTERN },
        /** Reference to the Criminal Records Office number; personal. */
        croNumber: { type: 'string', pattern: CRO_NUMBER_PATTERN },
        identifiedAt: instant,
      },
      ['dateOfBirth', 'pncId', 'croNumber'],
    ),
    personalFields: ['/name', '/dateOfBirth', '/pncId', '/croNumber'],
    example: {
      ...ids,
      name: 'Daniel Marsh',
      dateOfBirth: '1988-04-17',
      pncId: '12/345678A',
      croNumber: '123456/12A',
      identifiedAt: '2026-11-04T10:20:00Z',
    },
  }),
  HistoryChecksCompleted: defineEvent({
    type: 'uk.police.nom.suspects.history-checks-completed.v1',
    context,
    summary: "The suspect's history was checked on the named systems (PNC, PND, ViSOR, local intelligence).",
    schema: onSuspect({
      systems: list(enumOf(HISTORY_CHECK_SYSTEMS), 1),
      /** Personal free text. */
      resultSummary: text(4000),
      completedAt: instant,
    }),
    personalFields: ['/resultSummary'],
    example: {
      ...ids,
      systems: ['pnc', 'pnd', 'local-intelligence'],
      resultSummary: 'Two prior reports of sexual assault in another force (PND); no convictions.',
      completedAt: '2026-11-04T15:00:00Z',
    },
  }),
  SuspectArrested: defineEvent({
    type: 'uk.police.nom.suspects.suspect-arrested.v1',
    context,
    summary: 'The suspect was arrested; the PACE custody clock started on arrival at the police station.',
    schema: onSuspect({
      arrestedAt: instant,
      /** PACE s41 "relevant time": the custody clock. */
      custodyClockStartedAt: instant,
    }),
    example: { ...ids, arrestedAt: '2026-11-05T06:45:00Z', custodyClockStartedAt: '2026-11-05T07:20:00Z' },
  }),
  VoluntaryInterviewArranged: defineEvent({
    type: 'uk.police.nom.suspects.voluntary-interview-arranged.v1',
    context,
    summary: 'A voluntary interview under caution was arranged instead of an arrest (or rescheduled).',
    schema: onSuspect({ scheduledFor: instant, arrangedAt: instant }),
    example: { ...ids, scheduledFor: '2026-11-12T10:00:00Z', arrangedAt: '2026-11-05T09:30:00Z' },
  }),
  SuspectInterviewed: defineEvent({
    type: 'uk.police.nom.suspects.suspect-interviewed.v1',
    context,
    summary: 'The suspect was interviewed under caution, in custody or voluntarily, and how they responded.',
    schema: onSuspect({
      setting: enumOf(INTERVIEW_SETTINGS),
      response: enumOf(INTERVIEW_RESPONSES),
      interviewedAt: instant,
    }),
    example: { ...ids, setting: 'custody', response: 'prepared-statement', interviewedAt: '2026-11-05T13:10:00Z' },
  }),
  PreChargeBailGranted: defineEvent({
    type: 'uk.police.nom.suspects.pre-charge-bail-granted.v1',
    context,
    summary: 'The suspect was released on pre-charge bail (first period up to 3 months from the bail start date), with any conditions.',
    schema: onSuspect(
      {
        /** PACE s47ZB: the day after the arrest; bail periods count from it (ISO date, UK local). */
        bailStartDate: day,
        /** Last day of the authorised bail period (ISO date). */
        bailEndsOn: day,
        authorisedBy: authoriser,
        /** Personal: conditions often name people and places. */
        conditions: list(text(500)),
        ...victimViews,
        bailedAt: instant,
      },
      ['victimViewsSoughtAt'],
    ),
    personalFields: ['/conditions'],
    example: {
      ...ids,
      bailStartDate: '2026-11-06',
      bailEndsOn: '2027-02-05',
      authorisedBy: { officerId: 'AS-3307', rank: 'sergeant' },
      conditions: ['Not to contact the victim directly or indirectly', 'Not to enter Bedminster, Bristol'],
      victimViewsSought: true,
      victimViewsSoughtAt: '2026-11-05T16:00:00Z',
      bailedAt: '2026-11-05T18:30:00Z',
    },
  }),
  BailExtended: defineEvent({
    type: 'uk.police.nom.suspects.bail-extended.v1',
    context,
    summary: 'Pre-charge bail was extended by an officer of the required rank (to 6 months: inspector; to 9: superintendent).',
    schema: onSuspect({ previousEndsOn: day, bailEndsOn: day, authorisedBy: authoriser, extendedAt: instant }),
    example: {
      ...ids,
      previousEndsOn: '2027-02-05',
      bailEndsOn: '2027-05-05',
      authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
      extendedAt: '2027-01-28T11:00:00Z',
    },
  }),
  BailExtendedByCourt: defineEvent({
    type: 'uk.police.nom.suspects.bail-extended-by-court.v1',
    context,
    summary: "Pre-charge bail was extended beyond 9 months by a magistrates' court.",
    schema: onSuspect({
      previousEndsOn: day,
      bailEndsOn: day,
      /** The magistrates' court that extended it. */
      court: text(200),
      extendedAt: instant,
    }),
    example: {
      ...ids,
      previousEndsOn: '2027-08-05',
      bailEndsOn: '2027-11-05',
      court: "Bristol Magistrates' Court",
      extendedAt: '2027-07-30T14:00:00Z',
    },
  }),
  BailConditionsChanged: defineEvent({
    type: 'uk.police.nom.suspects.bail-conditions-changed.v1',
    context,
    summary: "The suspect's bail conditions were set, changed or removed; whether the victim's views were sought.",
    schema: onSuspect(
      {
        /** Personal. The full new list; empty when every condition is removed. */
        conditions: list(text(500)),
        ...victimViews,
        changedAt: instant,
      },
      ['victimViewsSoughtAt'],
    ),
    personalFields: ['/conditions'],
    example: {
      ...ids,
      conditions: ['Not to contact the victim directly or indirectly'],
      victimViewsSought: false,
      changedAt: '2026-12-10T10:00:00Z',
    },
  }),
  ReleasedUnderInvestigation: defineEvent({
    type: 'uk.police.nom.suspects.released-under-investigation.v1',
    context,
    summary: 'The suspect was released under investigation (no bail, no conditions).',
    schema: onSuspect({ releasedAt: instant }),
    example: { ...ids, releasedAt: '2026-11-05T18:30:00Z' },
  }),
  ReleasedNoFurtherAction: defineEvent({
    type: 'uk.police.nom.suspects.released-no-further-action.v1',
    context,
    summary: 'No further action will be taken against the suspect (a police or CPS decision); released without charge.',
    schema: onSuspect({
      /** Police or CPS decision: the victim's right to review differs. */
      decidedBy: enumOf(['police', 'cps']),
      releasedAt: instant,
    }),
    example: { ...ids, decidedBy: 'cps', releasedAt: '2027-03-02T12:00:00Z' },
  }),
  SuspectCharged: defineEvent({
    type: 'uk.police.nom.suspects.suspect-charged.v1',
    context,
    summary: 'The suspect was charged on a CPS charging decision.',
    schema: onSuspect({
      cpsDecisionReference: { type: 'string', pattern: CPS_REFERENCE_PATTERN },
      chargedAt: instant,
    }),
    example: { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: '2027-03-02T12:00:00Z' },
  }),
  RepeatSuspectFlagRaised: defineEvent({
    type: 'uk.police.nom.suspects.repeat-suspect-flag-raised.v1',
    context,
    summary: 'The suspect was flagged as a repeat suspect, linked to other cases in this or another force.',
    schema: onSuspect({
      /** Personal free text. */
      reason: text(2000),
      /** Other cases (any force) the suspect appears in. */
      linkedCaseIds: list(uuid, 1),
      raisedAt: instant,
    }),
    personalFields: ['/reason'],
    example: {
      ...ids,
      reason: 'Same PNC ID as the suspect in a Wiltshire case (PND match).',
      linkedCaseIds: ['5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'],
      raisedAt: '2026-11-04T16:00:00Z',
    },
  }),
  RepeatSuspectFlagCleared: defineEvent({
    type: 'uk.police.nom.suspects.repeat-suspect-flag-cleared.v1',
    context,
    summary: 'The repeat-suspect flag was cleared, with the reason.',
    schema: onSuspect({
      /** Personal free text. */
      reason: text(2000),
      clearedAt: instant,
    }),
    personalFields: ['/reason'],
    example: { ...ids, reason: 'PND match was to a different person with the same name.', clearedAt: '2026-11-20T09:00:00Z' },
  }),
  /**
   * A supervisor reviewed the suspect and recorded why a repeat-suspect check is justified before any arrest,
   * interview or charge: a lawful trigger for the national index to disclose the suspect's matches (ADR 0015).
   */
  RepeatSuspectCheckReviewed: defineEvent({
    type: 'uk.police.nom.suspects.repeat-suspect-check-reviewed.v1',
    context,
    summary:
      "A supervisor's recorded review of the suspect: the grounds for a repeat-suspect check before any arrest, interview or charge. The national index then discloses the suspect's matches to the force.",
    schema: onSuspect({
      /** Personal free text: the grounds for the check. */
      reason: text(2000),
      reviewedAt: instant,
    }),
    personalFields: ['/reason'],
    example: {
      ...ids,
      reason: 'Same modus operandi as a series reported in another force; check before interview.',
      reviewedAt: '2026-11-05T09:30:00Z',
    },
  }),
  DisruptionTacticRecorded: defineEvent({
    type: 'uk.police.nom.suspects.disruption-tactic-recorded.v1',
    context,
    summary: 'A disruption tactic other than a civil order was used against the suspect (e.g. offender management).',
    schema: onSuspect(
      {
        tactic: enumOf(DISRUPTION_TACTICS),
        /** Personal free text. */
        detail: text(2000),
        /** Who authorised it, where the law reserves it to a rank (a DAPN: an inspector or above, DAA 2021 s22). */
        authorisedBy: authoriser,
        recordedAt: instant,
      },
      ['detail', 'authorisedBy'],
    ),
    personalFields: ['/detail'],
    example: {
      ...ids,
      tactic: 'offender-management',
      detail: 'Adopted onto the integrated offender management scheme.',
      recordedAt: '2026-11-25T10:00:00Z',
    },
  }),
  CivilOrderAppliedFor: defineEvent({
    type: 'uk.police.nom.suspects.civil-order-applied-for.v1',
    context,
    summary: "A civil order (SHPO, SRO, DAPO, stalking protection order or interim order) was applied for at a magistrates' court.",
    schema: onSuspect({ orderId: uuid, order: enumOf(CIVIL_ORDERS), court: text(200), appliedAt: instant }),
    example: { ...ids, orderId, order: 'sexual-risk-order', court: "Bristol Magistrates' Court", appliedAt: '2026-12-01T10:00:00Z' },
  }),
  CivilOrderGranted: defineEvent({
    type: 'uk.police.nom.suspects.civil-order-granted.v1',
    context,
    summary: 'The court granted the civil order (SRO and SPO at least 2 years, SHPO at least 5, or until further order).',
    schema: onSuspect(
      {
        orderId: uuid,
        order: enumOf(CIVIL_ORDERS),
        /** Absent: until further order. */
        expiresOn: day,
        grantedAt: instant,
      },
      ['expiresOn'],
    ),
    example: { ...ids, orderId, order: 'sexual-risk-order', expiresOn: '2028-12-14', grantedAt: '2026-12-15T11:30:00Z' },
  }),
  CivilOrderRefused: defineEvent({
    type: 'uk.police.nom.suspects.civil-order-refused.v1',
    context,
    summary: 'The court refused the civil order.',
    schema: onSuspect({ orderId: uuid, order: enumOf(CIVIL_ORDERS), refusedAt: instant }),
    example: { ...ids, orderId, order: 'sexual-risk-order', refusedAt: '2026-12-15T11:30:00Z' },
  }),
};

const E = { ...CORE, ...BAIL_LIFECYCLE_EVENTS, ...DISRUPTION_EVENTS, ...COURT_EVENTS };

export const SuspectEventTypes = typesOf(E);
export type SuspectEventType = (typeof SuspectEventTypes)[keyof typeof SuspectEventTypes];
/** Each suspect event's data, by name (inferred from its schema). */
export type SuspectEventData = DataMap<typeof E>;
/** Who authorised a step the law reserves to a rank; kept with the event for audit. */
export type Authoriser = SuspectEventData['PreChargeBailGranted']['authorisedBy'];
export type SuspectEvent = EventUnion<typeof E>;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const suspectEventSchemas = schemasOf(E);

const SUSPECT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(SuspectEventTypes));

export function isSuspectEventType(type: string): type is SuspectEventType {
  return SUSPECT_EVENT_TYPES.has(type);
}

/** The suspects context's event catalogue entries. */
export const SUSPECT_EVENTS = catalogueOf(E);

export * from './suspects.vocabulary.js';
