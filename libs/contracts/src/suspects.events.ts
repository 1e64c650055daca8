import { assertNever } from './assert-never.js';
import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  listSchema as list,
  officerIdSchema as officerId,
  recordSchema as record,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import type { CatalogueEntry } from './catalogue-entry.js';

/**
 * The suspects context (NOM pillars 1 and 2): one stream per suspect in a case. Every event carries the
 * case id and the suspect id; the same person in two cases is two suspects, linked by national references
 * (PNC ID, CRO number) and the repeat-suspect flag, never by copies of national records.
 */
export const SuspectEventTypes = {
  SuspectIdentified: 'uk.police.nom.suspects.suspect-identified.v1',
  HistoryChecksCompleted: 'uk.police.nom.suspects.history-checks-completed.v1',
  SuspectArrested: 'uk.police.nom.suspects.suspect-arrested.v1',
  VoluntaryInterviewArranged: 'uk.police.nom.suspects.voluntary-interview-arranged.v1',
  SuspectInterviewed: 'uk.police.nom.suspects.suspect-interviewed.v1',
  PreChargeBailGranted: 'uk.police.nom.suspects.pre-charge-bail-granted.v1',
  BailExtended: 'uk.police.nom.suspects.bail-extended.v1',
  BailExtendedByCourt: 'uk.police.nom.suspects.bail-extended-by-court.v1',
  BailConditionsChanged: 'uk.police.nom.suspects.bail-conditions-changed.v1',
  ReleasedUnderInvestigation: 'uk.police.nom.suspects.released-under-investigation.v1',
  ReleasedNoFurtherAction: 'uk.police.nom.suspects.released-no-further-action.v1',
  SuspectCharged: 'uk.police.nom.suspects.suspect-charged.v1',
  RepeatSuspectFlagRaised: 'uk.police.nom.suspects.repeat-suspect-flag-raised.v1',
  RepeatSuspectFlagCleared: 'uk.police.nom.suspects.repeat-suspect-flag-cleared.v1',
  RepeatSuspectCheckReviewed: 'uk.police.nom.suspects.repeat-suspect-check-reviewed.v1',
  DisruptionTacticRecorded: 'uk.police.nom.suspects.disruption-tactic-recorded.v1',
  CivilOrderAppliedFor: 'uk.police.nom.suspects.civil-order-applied-for.v1',
  CivilOrderGranted: 'uk.police.nom.suspects.civil-order-granted.v1',
  CivilOrderRefused: 'uk.police.nom.suspects.civil-order-refused.v1',
} as const;
export type SuspectEventType = (typeof SuspectEventTypes)[keyof typeof SuspectEventTypes];

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
] as const;
export type DisruptionTactic = (typeof DISRUPTION_TACTICS)[number];
export const CIVIL_ORDERS = ['sexual-harm-prevention-order', 'sexual-risk-order'] as const;
export type CivilOrder = (typeof CIVIL_ORDERS)[number];

/** PNC ID: two-digit year, serial, check letter (`12/345678A`). The check letter is not verified here. */
export const PNC_ID_PATTERN = '^[0-9]{2}/[0-9]{1,7}[A-Z]$';
/** CRO number: serial, two-digit year, check letter (`123456/12A`). */
export const CRO_NUMBER_PATTERN = '^[0-9]{1,6}/[0-9]{2}[A-Z]$';
/** CPS charging decision reference (e.g. the case URN `52AS0421126`). */
export const CPS_REFERENCE_PATTERN = '^[A-Z0-9][A-Z0-9/-]{3,31}$';

interface OnSuspect {
  readonly caseId: string;
  readonly suspectId: string;
}
/** Who authorised a step the law reserves to a rank; kept with the event for audit. */
export interface Authoriser {
  readonly officerId: string;
  readonly rank: PoliceRank;
}

export interface SuspectIdentifiedData extends OnSuspect {
  /** Personal. */
  readonly name: string;
  /** Personal. ISO date. */
  readonly dateOfBirth?: string;
  /** Reference to the Police National Computer record; personal (an identifier of a person). */
  readonly pncId?: string;
  /** Reference to the Criminal Records Office number; personal. */
  readonly croNumber?: string;
  readonly identifiedAt: string;
}
export interface HistoryChecksCompletedData extends OnSuspect {
  readonly systems: readonly HistoryCheckSystem[];
  /** Personal free text. */
  readonly resultSummary: string;
  readonly completedAt: string;
}
export interface SuspectArrestedData extends OnSuspect {
  readonly arrestedAt: string;
  /** PACE s41 "relevant time": the custody clock. */
  readonly custodyClockStartedAt: string;
}
export interface VoluntaryInterviewArrangedData extends OnSuspect {
  readonly scheduledFor: string;
  readonly arrangedAt: string;
}
export interface SuspectInterviewedData extends OnSuspect {
  readonly setting: InterviewSetting;
  readonly response: InterviewResponse;
  readonly interviewedAt: string;
}
interface VictimViews {
  /** Whether the victim's views on the bail conditions were sought (required where practicable). */
  readonly victimViewsSought: boolean;
  readonly victimViewsSoughtAt?: string;
}
export interface PreChargeBailGrantedData extends OnSuspect, VictimViews {
  /** PACE s47ZB: the day after the arrest; bail periods count from it (ISO date, UK local). */
  readonly bailStartDate: string;
  /** Last day of the authorised bail period (ISO date). */
  readonly bailEndsOn: string;
  readonly authorisedBy: Authoriser;
  /** Personal: conditions often name people and places. */
  readonly conditions: readonly string[];
  readonly bailedAt: string;
}
export interface BailExtendedData extends OnSuspect {
  readonly previousEndsOn: string;
  readonly bailEndsOn: string;
  readonly authorisedBy: Authoriser;
  readonly extendedAt: string;
}
export interface BailExtendedByCourtData extends OnSuspect {
  readonly previousEndsOn: string;
  readonly bailEndsOn: string;
  /** The magistrates' court that extended it. */
  readonly court: string;
  readonly extendedAt: string;
}
export interface BailConditionsChangedData extends OnSuspect, VictimViews {
  /** Personal. The full new list; empty when every condition is removed. */
  readonly conditions: readonly string[];
  readonly changedAt: string;
}
export interface ReleasedUnderInvestigationData extends OnSuspect {
  readonly releasedAt: string;
}
export interface ReleasedNoFurtherActionData extends OnSuspect {
  /** Police or CPS decision: the victim's right to review differs. */
  readonly decidedBy: 'police' | 'cps';
  readonly releasedAt: string;
}
export interface SuspectChargedData extends OnSuspect {
  readonly cpsDecisionReference: string;
  readonly chargedAt: string;
}
export interface RepeatSuspectFlagRaisedData extends OnSuspect {
  /** Personal free text. */
  readonly reason: string;
  /** Other cases (any force) the suspect appears in. */
  readonly linkedCaseIds: readonly string[];
  readonly raisedAt: string;
}
export interface RepeatSuspectFlagClearedData extends OnSuspect {
  /** Personal free text. */
  readonly reason: string;
  readonly clearedAt: string;
}
/**
 * A supervisor reviewed the suspect and recorded why a repeat-suspect check is justified before any arrest,
 * interview or charge: a lawful trigger for the national index to disclose the suspect's matches (ADR 0015).
 */
export interface RepeatSuspectCheckReviewedData extends OnSuspect {
  /** Personal free text: the grounds for the check. */
  readonly reason: string;
  readonly reviewedAt: string;
}
export interface DisruptionTacticRecordedData extends OnSuspect {
  readonly tactic: DisruptionTactic;
  /** Personal free text. */
  readonly detail?: string;
  readonly recordedAt: string;
}
export interface CivilOrderAppliedForData extends OnSuspect {
  readonly orderId: string;
  readonly order: CivilOrder;
  readonly court: string;
  readonly appliedAt: string;
}
export interface CivilOrderGrantedData extends OnSuspect {
  readonly orderId: string;
  readonly order: CivilOrder;
  /** Absent: until further order. */
  readonly expiresOn?: string;
  readonly grantedAt: string;
}
export interface CivilOrderRefusedData extends OnSuspect {
  readonly orderId: string;
  readonly order: CivilOrder;
  readonly refusedAt: string;
}

type Ev<T extends SuspectEventType, D> = { readonly type: T; readonly data: D };
const T = SuspectEventTypes;
export type SuspectEvent =
  | Ev<typeof T.SuspectIdentified, SuspectIdentifiedData>
  | Ev<typeof T.HistoryChecksCompleted, HistoryChecksCompletedData>
  | Ev<typeof T.SuspectArrested, SuspectArrestedData>
  | Ev<typeof T.VoluntaryInterviewArranged, VoluntaryInterviewArrangedData>
  | Ev<typeof T.SuspectInterviewed, SuspectInterviewedData>
  | Ev<typeof T.PreChargeBailGranted, PreChargeBailGrantedData>
  | Ev<typeof T.BailExtended, BailExtendedData>
  | Ev<typeof T.BailExtendedByCourt, BailExtendedByCourtData>
  | Ev<typeof T.BailConditionsChanged, BailConditionsChangedData>
  | Ev<typeof T.ReleasedUnderInvestigation, ReleasedUnderInvestigationData>
  | Ev<typeof T.ReleasedNoFurtherAction, ReleasedNoFurtherActionData>
  | Ev<typeof T.SuspectCharged, SuspectChargedData>
  | Ev<typeof T.RepeatSuspectFlagRaised, RepeatSuspectFlagRaisedData>
  | Ev<typeof T.RepeatSuspectFlagCleared, RepeatSuspectFlagClearedData>
  | Ev<typeof T.RepeatSuspectCheckReviewed, RepeatSuspectCheckReviewedData>
  | Ev<typeof T.DisruptionTacticRecorded, DisruptionTacticRecordedData>
  | Ev<typeof T.CivilOrderAppliedFor, CivilOrderAppliedForData>
  | Ev<typeof T.CivilOrderGranted, CivilOrderGrantedData>
  | Ev<typeof T.CivilOrderRefused, CivilOrderRefusedData>;

const authoriser = record({ officerId, rank: enumOf(POLICE_RANKS) });
const victimViews = { victimViewsSought: { type: 'boolean' }, victimViewsSoughtAt: instant } as const;

function onSuspect(properties: Record<string, object>, optional: readonly string[] = []) {
  return record({ caseId: uuid, suspectId: uuid, ...properties }, optional);
}

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const suspectEventSchemas: Record<SuspectEventType, object> = {
  [T.SuspectIdentified]: onSuspect(
    {
      name: text(200),
      dateOfBirth: day,
      pncId: { type: 'string', pattern: PNC_ID_PATTERN },
      croNumber: { type: 'string', pattern: CRO_NUMBER_PATTERN },
      identifiedAt: instant,
    },
    ['dateOfBirth', 'pncId', 'croNumber'],
  ),
  [T.HistoryChecksCompleted]: onSuspect({
    systems: list(enumOf(HISTORY_CHECK_SYSTEMS), 1),
    resultSummary: text(4000),
    completedAt: instant,
  }),
  [T.SuspectArrested]: onSuspect({ arrestedAt: instant, custodyClockStartedAt: instant }),
  [T.VoluntaryInterviewArranged]: onSuspect({ scheduledFor: instant, arrangedAt: instant }),
  [T.SuspectInterviewed]: onSuspect({
    setting: enumOf(INTERVIEW_SETTINGS),
    response: enumOf(INTERVIEW_RESPONSES),
    interviewedAt: instant,
  }),
  [T.PreChargeBailGranted]: onSuspect(
    {
      bailStartDate: day,
      bailEndsOn: day,
      authorisedBy: authoriser,
      conditions: list(text(500)),
      ...victimViews,
      bailedAt: instant,
    },
    ['victimViewsSoughtAt'],
  ),
  [T.BailExtended]: onSuspect({ previousEndsOn: day, bailEndsOn: day, authorisedBy: authoriser, extendedAt: instant }),
  [T.BailExtendedByCourt]: onSuspect({ previousEndsOn: day, bailEndsOn: day, court: text(200), extendedAt: instant }),
  [T.BailConditionsChanged]: onSuspect({ conditions: list(text(500)), ...victimViews, changedAt: instant }, [
    'victimViewsSoughtAt',
  ]),
  [T.ReleasedUnderInvestigation]: onSuspect({ releasedAt: instant }),
  [T.ReleasedNoFurtherAction]: onSuspect({ decidedBy: enumOf(['police', 'cps']), releasedAt: instant }),
  [T.SuspectCharged]: onSuspect({
    cpsDecisionReference: { type: 'string', pattern: CPS_REFERENCE_PATTERN },
    chargedAt: instant,
  }),
  [T.RepeatSuspectFlagRaised]: onSuspect({ reason: text(2000), linkedCaseIds: list(uuid, 1), raisedAt: instant }),
  [T.RepeatSuspectFlagCleared]: onSuspect({ reason: text(2000), clearedAt: instant }),
  [T.RepeatSuspectCheckReviewed]: onSuspect({ reason: text(2000), reviewedAt: instant }),
  [T.DisruptionTacticRecorded]: onSuspect(
    { tactic: enumOf(DISRUPTION_TACTICS), detail: text(2000), recordedAt: instant },
    ['detail'],
  ),
  [T.CivilOrderAppliedFor]: onSuspect({ orderId: uuid, order: enumOf(CIVIL_ORDERS), court: text(200), appliedAt: instant }),
  [T.CivilOrderGranted]: onSuspect(
    { orderId: uuid, order: enumOf(CIVIL_ORDERS), expiresOn: day, grantedAt: instant },
    ['expiresOn'],
  ),
  [T.CivilOrderRefused]: onSuspect({ orderId: uuid, order: enumOf(CIVIL_ORDERS), refusedAt: instant }),
};

/** What a suspect event obliges the force to tell the victim (Victims' Code right 6), if anything. */
export type VictimUpdateTrigger =
  | 'arrested'
  | 'interviewed'
  | 'released'
  | 'bailed'
  | 'released-under-investigation'
  | 'bail-conditions-changed';

const SUSPECT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(SuspectEventTypes));

export function isSuspectEventType(type: string): type is SuspectEventType {
  return SUSPECT_EVENT_TYPES.has(type);
}

/**
 * Whether a suspect event starts a Victims' Code update deadline, and which. Lives in the contracts so that
 * the victims context (which imports nothing but the contracts) can react to suspect events.
 */
export function victimUpdateTrigger(event: { readonly type: SuspectEventType }): VictimUpdateTrigger | undefined {
  switch (event.type) {
    case T.SuspectArrested:
      return 'arrested';
    case T.SuspectInterviewed:
      return 'interviewed';
    case T.ReleasedNoFurtherAction:
      return 'released';
    // An extension re-bails the suspect to a new date the victim needs for their safety planning.
    case T.PreChargeBailGranted:
    case T.BailExtended:
    case T.BailExtendedByCourt:
      return 'bailed';
    case T.ReleasedUnderInvestigation:
      return 'released-under-investigation';
    case T.BailConditionsChanged:
      return 'bail-conditions-changed';
    // Charge is told to the victim by the charge letter (victims context), not by an update deadline.
    case T.SuspectIdentified:
    case T.HistoryChecksCompleted:
    case T.VoluntaryInterviewArranged:
    case T.SuspectCharged:
    case T.RepeatSuspectFlagRaised:
    case T.RepeatSuspectFlagCleared:
    case T.RepeatSuspectCheckReviewed:
    case T.DisruptionTacticRecorded:
    case T.CivilOrderAppliedFor:
    case T.CivilOrderGranted:
    case T.CivilOrderRefused:
      return undefined;
    default:
      return assertNever(event.type);
  }
}

/**
 * When the trigger of a Victims' Code update deadline happened, as its event states it (the arrest's `arrestedAt`,
 * the release's `releasedAt`...): the deadline runs from it, however late the event was recorded or processed.
 * Undefined for a suspect event that starts no deadline (see victimUpdateTrigger).
 */
export function victimUpdateTriggeredAt(event: SuspectEvent): string | undefined {
  switch (event.type) {
    case T.SuspectArrested:
      return event.data.arrestedAt;
    case T.SuspectInterviewed:
      return event.data.interviewedAt;
    case T.ReleasedNoFurtherAction:
    case T.ReleasedUnderInvestigation:
      return event.data.releasedAt;
    case T.PreChargeBailGranted:
      return event.data.bailedAt;
    case T.BailExtended:
    case T.BailExtendedByCourt:
      return event.data.extendedAt;
    case T.BailConditionsChanged:
      return event.data.changedAt;
    case T.SuspectIdentified:
    case T.HistoryChecksCompleted:
    case T.VoluntaryInterviewArranged:
    case T.SuspectCharged:
    case T.RepeatSuspectFlagRaised:
    case T.RepeatSuspectFlagCleared:
    case T.RepeatSuspectCheckReviewed:
    case T.DisruptionTacticRecorded:
    case T.CivilOrderAppliedFor:
    case T.CivilOrderGranted:
    case T.CivilOrderRefused:
      return undefined;
    default:
      return assertNever(event);
  }
}


const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', suspectId: '9b2d4c1e-5f6a-4b7c-8d9e-0a1b2c3d4e5f' };
const orderId = 'c7e1a2b3-4d5e-4f60-8a9b-0c1d2e3f4a5b';

function entry<D extends object>(type: SuspectEventType, summary: string, personalFields: string[], example: D): CatalogueEntry {
  return { type, context: 'suspects', summary, schema: suspectEventSchemas[type], personalFields, example };
}

/** The suspects context's event catalogue entries. */
export const SUSPECT_EVENTS: readonly CatalogueEntry[] = [
  entry<SuspectIdentifiedData>(
    T.SuspectIdentified,
    'A suspect was identified on a case, with references to national records (PNC ID, CRO number) where known.',
    ['/name', '/dateOfBirth', '/pncId', '/croNumber'],
    {
      ...ids,
      name: 'Daniel Marsh',
      dateOfBirth: '1988-04-17',
      pncId: '12/345678A',
      croNumber: '123456/12A',
      identifiedAt: '2026-11-04T10:20:00Z',
    },
  ),
  entry<HistoryChecksCompletedData>(
    T.HistoryChecksCompleted,
    "The suspect's history was checked on the named systems (PNC, PND, ViSOR, local intelligence).",
    ['/resultSummary'],
    {
      ...ids,
      systems: ['pnc', 'pnd', 'local-intelligence'],
      resultSummary: 'Two prior reports of sexual assault in another force (PND); no convictions.',
      completedAt: '2026-11-04T15:00:00Z',
    },
  ),
  entry<SuspectArrestedData>(
    T.SuspectArrested,
    'The suspect was arrested; the PACE custody clock started on arrival at the police station.',
    [],
    { ...ids, arrestedAt: '2026-11-05T06:45:00Z', custodyClockStartedAt: '2026-11-05T07:20:00Z' },
  ),
  entry<VoluntaryInterviewArrangedData>(
    T.VoluntaryInterviewArranged,
    'A voluntary interview under caution was arranged instead of an arrest (or rescheduled).',
    [],
    { ...ids, scheduledFor: '2026-11-12T10:00:00Z', arrangedAt: '2026-11-05T09:30:00Z' },
  ),
  entry<SuspectInterviewedData>(
    T.SuspectInterviewed,
    'The suspect was interviewed under caution, in custody or voluntarily, and how they responded.',
    [],
    { ...ids, setting: 'custody', response: 'prepared-statement', interviewedAt: '2026-11-05T13:10:00Z' },
  ),
  entry<PreChargeBailGrantedData>(
    T.PreChargeBailGranted,
    'The suspect was released on pre-charge bail (first period up to 3 months from the bail start date), with any conditions.',
    ['/conditions'],
    {
      ...ids,
      bailStartDate: '2026-11-06',
      bailEndsOn: '2027-02-05',
      authorisedBy: { officerId: 'AS-3307', rank: 'sergeant' },
      conditions: ['Not to contact the victim directly or indirectly', 'Not to enter Bedminster, Bristol'],
      victimViewsSought: true,
      victimViewsSoughtAt: '2026-11-05T16:00:00Z',
      bailedAt: '2026-11-05T18:30:00Z',
    },
  ),
  entry<BailExtendedData>(
    T.BailExtended,
    'Pre-charge bail was extended by an officer of the required rank (to 6 months: inspector; to 9: superintendent).',
    [],
    {
      ...ids,
      previousEndsOn: '2027-02-05',
      bailEndsOn: '2027-05-05',
      authorisedBy: { officerId: 'AS-2210', rank: 'inspector' },
      extendedAt: '2027-01-28T11:00:00Z',
    },
  ),
  entry<BailExtendedByCourtData>(
    T.BailExtendedByCourt,
    "Pre-charge bail was extended beyond 9 months by a magistrates' court.",
    [],
    {
      ...ids,
      previousEndsOn: '2027-08-05',
      bailEndsOn: '2027-11-05',
      court: "Bristol Magistrates' Court",
      extendedAt: '2027-07-30T14:00:00Z',
    },
  ),
  entry<BailConditionsChangedData>(
    T.BailConditionsChanged,
    "The suspect's bail conditions were set, changed or removed; whether the victim's views were sought.",
    ['/conditions'],
    {
      ...ids,
      conditions: ['Not to contact the victim directly or indirectly'],
      victimViewsSought: false,
      changedAt: '2026-12-10T10:00:00Z',
    },
  ),
  entry<ReleasedUnderInvestigationData>(
    T.ReleasedUnderInvestigation,
    'The suspect was released under investigation (no bail, no conditions).',
    [],
    { ...ids, releasedAt: '2026-11-05T18:30:00Z' },
  ),
  entry<ReleasedNoFurtherActionData>(
    T.ReleasedNoFurtherAction,
    'No further action will be taken against the suspect (a police or CPS decision); released without charge.',
    [],
    { ...ids, decidedBy: 'cps', releasedAt: '2027-03-02T12:00:00Z' },
  ),
  entry<SuspectChargedData>(
    T.SuspectCharged,
    'The suspect was charged on a CPS charging decision.',
    [],
    { ...ids, cpsDecisionReference: '52AS0421126', chargedAt: '2027-03-02T12:00:00Z' },
  ),
  entry<RepeatSuspectFlagRaisedData>(
    T.RepeatSuspectFlagRaised,
    'The suspect was flagged as a repeat suspect, linked to other cases in this or another force.',
    ['/reason'],
    {
      ...ids,
      reason: 'Same PNC ID as the suspect in a Wiltshire case (PND match).',
      linkedCaseIds: ['5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'],
      raisedAt: '2026-11-04T16:00:00Z',
    },
  ),
  entry<RepeatSuspectFlagClearedData>(
    T.RepeatSuspectFlagCleared,
    'The repeat-suspect flag was cleared, with the reason.',
    ['/reason'],
    { ...ids, reason: 'PND match was to a different person with the same name.', clearedAt: '2026-11-20T09:00:00Z' },
  ),
  entry<RepeatSuspectCheckReviewedData>(
    T.RepeatSuspectCheckReviewed,
    "A supervisor's recorded review of the suspect: the grounds for a repeat-suspect check before any arrest, interview or charge. The national index then discloses the suspect's matches to the force.",
    ['/reason'],
    { ...ids, reason: 'Same modus operandi as a series reported in another force; check before interview.', reviewedAt: '2026-11-05T09:30:00Z' },
  ),
  entry<DisruptionTacticRecordedData>(
    T.DisruptionTacticRecorded,
    'A disruption tactic other than a civil order was used against the suspect (e.g. offender management).',
    ['/detail'],
    {
      ...ids,
      tactic: 'offender-management',
      detail: 'Adopted onto the integrated offender management scheme.',
      recordedAt: '2026-11-25T10:00:00Z',
    },
  ),
  entry<CivilOrderAppliedForData>(
    T.CivilOrderAppliedFor,
    "A Sexual Harm Prevention Order or Sexual Risk Order was applied for at a magistrates' court.",
    [],
    { ...ids, orderId, order: 'sexual-risk-order', court: "Bristol Magistrates' Court", appliedAt: '2026-12-01T10:00:00Z' },
  ),
  entry<CivilOrderGrantedData>(
    T.CivilOrderGranted,
    'The court granted the civil order (SRO at least 2 years, SHPO at least 5, or until further order).',
    [],
    { ...ids, orderId, order: 'sexual-risk-order', expiresOn: '2028-12-14', grantedAt: '2026-12-15T11:30:00Z' },
  ),
  entry<CivilOrderRefusedData>(
    T.CivilOrderRefused,
    'The court refused the civil order.',
    [],
    { ...ids, orderId, order: 'sexual-risk-order', refusedAt: '2026-12-15T11:30:00Z' },
  ),
];
