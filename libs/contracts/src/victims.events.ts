import { dateSchema, instantSchema, textSchema, uuidSchema } from './json-schema.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import { OFFENCE_GROUPS, type OffenceGroup } from './cases.events.js';

// One file for the whole victims vocabulary (types, schemas, catalogue): the catalogue spreads
// VICTIM_EVENTS from here, and splitting it would only scatter one contract over several files.

/** Event type names: string literals, never class names. One stream per victim in a case: `victim-<victimId>`. */
export const VictimEventTypes = {
  FirstContactMade: 'uk.police.nom.victims.first-contact-made.v1',
  EnhancedRightsRecorded: 'uk.police.nom.victims.enhanced-rights-recorded.v1',
  NeedsAssessmentCompleted: 'uk.police.nom.victims.needs-assessment-completed.v1',
  ReferredToIsva: 'uk.police.nom.victims.referred-to-isva.v1',
  ReferredToSupportService: 'uk.police.nom.victims.referred-to-support-service.v1',
  ContactPreferencesAgreed: 'uk.police.nom.victims.contact-preferences-agreed.v1',
  SpecialMeasuresRequested: 'uk.police.nom.victims.special-measures-requested.v1',
  VpsOffered: 'uk.police.nom.victims.victim-personal-statement-offered.v1',
  VpsTaken: 'uk.police.nom.victims.victim-personal-statement-taken.v1',
  VpsDeclined: 'uk.police.nom.victims.victim-personal-statement-declined.v1',
  UpdateGiven: 'uk.police.nom.victims.update-given.v1',
  LetterSent: 'uk.police.nom.victims.letter-sent.v1',
  SupportWithdrawn: 'uk.police.nom.victims.support-withdrawn.v1',
  ReEngaged: 'uk.police.nom.victims.re-engaged.v1',
  ComplaintMade: 'uk.police.nom.victims.complaint-made.v1',
  UpdateDutyOpened: 'uk.police.nom.victims.update-duty-opened.v1',
  UpdateDutyMet: 'uk.police.nom.victims.update-duty-met.v1',
  UpdateDeadlineMissed: 'uk.police.nom.victims.update-deadline-missed.v1',
  UpdateDutyClosed: 'uk.police.nom.victims.update-duty-closed.v1',
} as const;

// ---- code lists ----------------------------------------------------------------------------------------

/** How the police reach the victim. `via-isva`: through the victim's ISVA, at the victim's request. */
export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'post', 'in-person', 'via-isva'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_TIMES = ['weekday-morning', 'weekday-afternoon', 'weekday-evening', 'weekend'] as const;
export type ContactTime = (typeof CONTACT_TIMES)[number];
/** Victims' Code enhanced-rights categories. */
export const ENHANCED_RIGHTS_CATEGORIES = ['most-serious-crime', 'persistently-targeted', 'vulnerable-or-intimidated'] as const;
export type EnhancedRightsCategory = (typeof ENHANCED_RIGHTS_CATEGORIES)[number];
export const VICTIM_NEEDS = [
  'emotional-support', 'counselling', 'sexual-health', 'mental-health', 'safety-planning', 'housing',
  'financial', 'interpreter', 'communication-support', 'disability-access', 'childcare',
] as const;
export type VictimNeed = (typeof VICTIM_NEEDS)[number];
export const SUPPORT_SERVICES = [
  'sarc', 'rape-crisis', 'victim-support', 'idva', 'mental-health', 'sexual-health', 'housing', 'children-and-young-people', 'other',
] as const;
export type SupportService = (typeof SUPPORT_SERVICES)[number];
/** Youth Justice and Criminal Evidence Act 1999 ss23-30 (complainants of sexual offences are eligible, s17(4)). */
export const SPECIAL_MEASURES = [
  'screens', 'live-link', 'evidence-in-private', 'removal-of-wigs-and-gowns', 'video-recorded-evidence-in-chief',
  'pre-recorded-cross-examination', 'intermediary', 'communication-aids',
] as const;
export type SpecialMeasure = (typeof SPECIAL_MEASURES)[number];
export const VPS_FORMATS = ['written', 'video-recorded'] as const;
export type VpsFormat = (typeof VPS_FORMATS)[number];
/** Victims' Code right 6: the events about a suspect that the victim must be told of within a deadline. */
export const UPDATE_TRIGGERS = [
  'suspect-arrested', 'suspect-interviewed', 'suspect-released', 'suspect-bailed',
  'suspect-released-under-investigation', 'bail-conditions-changed',
] as const;
export type UpdateTrigger = (typeof UPDATE_TRIGGERS)[number];
export const UPDATE_SUBJECTS = [
  ...UPDATE_TRIGGERS, 'investigation-progress', 'digital-forensics', 'charging-decision', 'case-outcome', 'case-reopened', 'other',
] as const;
export type UpdateSubject = (typeof UPDATE_SUBJECTS)[number];
export const LETTER_KINDS = [
  'first-contact', 'charge', 'no-further-action', 'bail-or-release-under-investigation', 'case-outcome', 'case-reopened',
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
/** Letters go by post, email, by hand (`in-person`) or through the ISVA: a subset of the contact channels. */
export const LETTER_CHANNELS = ['post', 'email', 'in-person', 'via-isva'] as const;
export type LetterChannel = (typeof LETTER_CHANNELS)[number];
export const WITHDRAWAL_REASONS = [
  'lack-of-trust', 'length-of-investigation', 'fear-of-reprisal', 'digital-device-concerns', 'wants-to-move-on',
  'emotional-toll', 'relationship-with-suspect', 'other',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
export const WITHDRAWAL_STAGES = [
  'reporting', 'early-investigation', 'suspect-arrest-or-interview', 'digital-device-examination',
  'awaiting-charging-decision', 'post-charge', 'trial',
] as const;
export type WithdrawalStage = (typeof WITHDRAWAL_STAGES)[number];
export const COMPLAINT_SUBJECTS = ['communication', 'delay', 'officer-conduct', 'victims-code-entitlement-not-met', 'other'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];
export const DUTY_CLOSURE_REASONS = ['case-outcome-recorded', 'victim-opted-out-of-updates', 'case-transferred'] as const;
export type DutyClosureReason = (typeof DUTY_CLOSURE_REASONS)[number];

// ---- data -------------------------------------------------------------------------------------------------

/** Every victim event names the case and the victim (the stream is `victim-<victimId>`). */
export interface VictimRef {
  readonly caseId: string;
  readonly victimId: string;
}
export interface FirstContactMadeData extends VictimRef {
  readonly offence: OffenceGroup;
  /** Officer id, not a name. */
  readonly officerId: string;
  readonly channel: ContactChannel;
  readonly madeAt: string;
}
export interface EnhancedRightsRecordedData extends VictimRef {
  readonly categories: readonly EnhancedRightsCategory[];
  /** `offence-rule`: recorded by the system from the offence (rape); `officer-assessment`: by an officer. */
  readonly source: 'offence-rule' | 'officer-assessment';
  readonly recordedAt: string;
}
export interface NeedsAssessmentCompletedData extends VictimRef {
  /** Empty: no needs identified. */
  readonly needs: readonly VictimNeed[];
  /** Free text: personal. */
  readonly notes?: string;
  readonly completedAt: string;
}
export interface ReferredToIsvaData extends VictimRef {
  /** The ISVA service (an organisation, not a person). */
  readonly isvaService: string;
  readonly referredAt: string;
}
export interface ReferredToSupportServiceData extends VictimRef {
  readonly service: SupportService;
  readonly organisation: string;
  readonly referredAt: string;
}
/** Safe contact details agreed with the victim: all personal. */
export interface SafeContact {
  /** The name the victim wants to be asked for (may differ from their legal name). */
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
}
export interface ContactPreferencesAgreedData extends VictimRef {
  /** Agreed channels in order of preference; updates and letters use only these. */
  readonly channels: readonly ContactChannel[];
  readonly times: readonly ContactTime[];
  readonly leaveMessages: boolean;
  readonly safeContact: SafeContact;
  readonly agreedAt: string;
}
export interface SpecialMeasuresRequestedData extends VictimRef {
  readonly measures: readonly SpecialMeasure[];
  readonly requestedAt: string;
}
export interface VpsOfferedData extends VictimRef {
  readonly offeredAt: string;
}
export interface VpsTakenData extends VictimRef {
  readonly format: VpsFormat;
  /** Reference of the statement in the force's document store; the statement itself never enters an event. */
  readonly documentReference: string;
  readonly takenAt: string;
}
export interface VpsDeclinedData extends VictimRef {
  /** What the victim said, if they chose to say why: personal. */
  readonly comment?: string;
  readonly declinedAt: string;
}
export interface UpdateGivenData extends VictimRef {
  readonly about: UpdateSubject;
  readonly channel: ContactChannel;
  /** The trigger (event id) of the update duty this update answers, if any. */
  readonly triggerEventId?: string;
  /** Free text of what was said: personal. */
  readonly summary?: string;
  readonly givenAt: string;
}
export interface LetterSentData extends VictimRef {
  readonly letter: LetterKind;
  readonly channel: LetterChannel;
  readonly sentAt: string;
}
export interface SupportWithdrawnData extends VictimRef {
  readonly reason: WithdrawalReason;
  readonly stage: WithdrawalStage;
  /** The victim's own account of why: personal. Required when the reason is `other`. */
  readonly account?: string;
  readonly withdrawnAt: string;
}
export interface ReEngagedData extends VictimRef {
  readonly reEngagedAt: string;
}
export interface ComplaintMadeData extends VictimRef {
  readonly about: ComplaintSubject;
  /** The complaint in the victim's words: personal. */
  readonly account: string;
  readonly madeAt: string;
}
/**
 * A Victims' Code update deadline (a timer). Everything a timer needs is here, so folding the stream rebuilds
 * every open timer after a restart, and a later change to the calendar never moves a deadline already set.
 */
export interface UpdateDutyOpenedData extends VictimRef {
  readonly trigger: UpdateTrigger;
  /** Id of the event (e.g. suspect arrested) that opened the duty; identifies the duty. */
  readonly triggerEventId: string;
  readonly triggeredAt: string;
  readonly enhancedRights: boolean;
  readonly workingDays: number;
  /** Last day of the deadline, Europe/London local date. */
  readonly dueDate: string;
  /** Last instant of `dueDate` in Europe/London (23:59:59.999 local), as UTC. */
  readonly dueBy: string;
}
export interface UpdateDutyMetData extends VictimRef {
  readonly triggerEventId: string;
  readonly dueBy: string;
  readonly metAt: string;
  readonly onTime: boolean;
}
export interface UpdateDeadlineMissedData extends VictimRef {
  readonly triggerEventId: string;
  readonly trigger: UpdateTrigger;
  readonly dueBy: string;
  readonly detectedAt: string;
}
export interface UpdateDutyClosedData extends VictimRef {
  readonly triggerEventId: string;
  readonly reason: DutyClosureReason;
  readonly closedAt: string;
}

type Of<T extends string, D> = { readonly type: T; readonly data: D };
type Types = typeof VictimEventTypes;
export type VictimEvent =
  | Of<Types['FirstContactMade'], FirstContactMadeData>
  | Of<Types['EnhancedRightsRecorded'], EnhancedRightsRecordedData>
  | Of<Types['NeedsAssessmentCompleted'], NeedsAssessmentCompletedData>
  | Of<Types['ReferredToIsva'], ReferredToIsvaData>
  | Of<Types['ReferredToSupportService'], ReferredToSupportServiceData>
  | Of<Types['ContactPreferencesAgreed'], ContactPreferencesAgreedData>
  | Of<Types['SpecialMeasuresRequested'], SpecialMeasuresRequestedData>
  | Of<Types['VpsOffered'], VpsOfferedData>
  | Of<Types['VpsTaken'], VpsTakenData>
  | Of<Types['VpsDeclined'], VpsDeclinedData>
  | Of<Types['UpdateGiven'], UpdateGivenData>
  | Of<Types['LetterSent'], LetterSentData>
  | Of<Types['SupportWithdrawn'], SupportWithdrawnData>
  | Of<Types['ReEngaged'], ReEngagedData>
  | Of<Types['ComplaintMade'], ComplaintMadeData>
  | Of<Types['UpdateDutyOpened'], UpdateDutyOpenedData>
  | Of<Types['UpdateDutyMet'], UpdateDutyMetData>
  | Of<Types['UpdateDeadlineMissed'], UpdateDeadlineMissedData>
  | Of<Types['UpdateDutyClosed'], UpdateDutyClosedData>;

// ---- JSON Schemas (draft 2020-12) ------------------------------------------------------------------------

const uuid = uuidSchema;
const instant = instantSchema;
const localDate = dateSchema;
const text = textSchema;
const oneOf = (values: readonly string[]) => ({ enum: [...values] });
const setOf = (values: readonly string[], minItems = 0) =>
  ({ type: 'array', uniqueItems: true, minItems, items: { enum: [...values] } }) as const;

/** Every victim event: an object with caseId and victimId, and nothing it does not declare. */
function victimSchema(required: readonly string[], properties: Record<string, object>) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'victimId', ...required],
    properties: { caseId: uuid, victimId: uuid, ...properties },
  } as const;
}

const T = VictimEventTypes;
export const victimEventSchemas = {
  [T.FirstContactMade]: victimSchema(['offence', 'officerId', 'channel', 'madeAt'], {
    offence: oneOf(OFFENCE_GROUPS),
    officerId: { type: 'string', pattern: '^[A-Za-z0-9-]{2,32}$' },
    channel: oneOf(CONTACT_CHANNELS),
    madeAt: instant,
  }),
  [T.EnhancedRightsRecorded]: victimSchema(['categories', 'source', 'recordedAt'], {
    categories: setOf(ENHANCED_RIGHTS_CATEGORIES, 1),
    source: oneOf(['offence-rule', 'officer-assessment']),
    recordedAt: instant,
  }),
  [T.NeedsAssessmentCompleted]: victimSchema(['needs', 'completedAt'], {
    needs: setOf(VICTIM_NEEDS),
    notes: text(4000),
    completedAt: instant,
  }),
  [T.ReferredToIsva]: victimSchema(['isvaService', 'referredAt'], { isvaService: text(200), referredAt: instant }),
  [T.ReferredToSupportService]: victimSchema(['service', 'organisation', 'referredAt'], {
    service: oneOf(SUPPORT_SERVICES),
    organisation: text(200),
    referredAt: instant,
  }),
  [T.ContactPreferencesAgreed]: victimSchema(['channels', 'times', 'leaveMessages', 'safeContact', 'agreedAt'], {
    channels: setOf(CONTACT_CHANNELS, 1),
    times: setOf(CONTACT_TIMES),
    leaveMessages: { type: 'boolean' },
    safeContact: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: text(200),
        phone: { type: 'string', pattern: '^\\+?[0-9][0-9 ()-]{5,19}$' },
        email: { type: 'string', format: 'email', maxLength: 254 },
        address: text(500),
      },
    },
    agreedAt: instant,
  }),
  [T.SpecialMeasuresRequested]: victimSchema(['measures', 'requestedAt'], {
    measures: setOf(SPECIAL_MEASURES, 1),
    requestedAt: instant,
  }),
  [T.VpsOffered]: victimSchema(['offeredAt'], { offeredAt: instant }),
  [T.VpsTaken]: victimSchema(['format', 'documentReference', 'takenAt'], {
    format: oneOf(VPS_FORMATS),
    documentReference: text(64),
    takenAt: instant,
  }),
  [T.VpsDeclined]: victimSchema(['declinedAt'], { comment: text(2000), declinedAt: instant }),
  [T.UpdateGiven]: victimSchema(['about', 'channel', 'givenAt'], {
    about: oneOf(UPDATE_SUBJECTS),
    channel: oneOf(CONTACT_CHANNELS),
    triggerEventId: uuid,
    summary: text(4000),
    givenAt: instant,
  }),
  [T.LetterSent]: victimSchema(['letter', 'channel', 'sentAt'], {
    letter: oneOf(LETTER_KINDS),
    channel: oneOf(LETTER_CHANNELS),
    sentAt: instant,
  }),
  [T.SupportWithdrawn]: victimSchema(['reason', 'stage', 'withdrawnAt'], {
    reason: oneOf(WITHDRAWAL_REASONS),
    stage: oneOf(WITHDRAWAL_STAGES),
    account: text(4000),
    withdrawnAt: instant,
  }),
  [T.ReEngaged]: victimSchema(['reEngagedAt'], { reEngagedAt: instant }),
  [T.ComplaintMade]: victimSchema(['about', 'account', 'madeAt'], {
    about: oneOf(COMPLAINT_SUBJECTS),
    account: text(8000),
    madeAt: instant,
  }),
  [T.UpdateDutyOpened]: victimSchema(
    ['trigger', 'triggerEventId', 'triggeredAt', 'enhancedRights', 'workingDays', 'dueDate', 'dueBy'],
    {
      trigger: oneOf(UPDATE_TRIGGERS),
      triggerEventId: uuid,
      triggeredAt: instant,
      enhancedRights: { type: 'boolean' },
      workingDays: { type: 'integer', minimum: 1, maximum: 30 },
      dueDate: localDate,
      dueBy: instant,
    },
  ),
  [T.UpdateDutyMet]: victimSchema(['triggerEventId', 'dueBy', 'metAt', 'onTime'], {
    triggerEventId: uuid,
    dueBy: instant,
    metAt: instant,
    onTime: { type: 'boolean' },
  }),
  [T.UpdateDeadlineMissed]: victimSchema(['triggerEventId', 'trigger', 'dueBy', 'detectedAt'], {
    triggerEventId: uuid,
    trigger: oneOf(UPDATE_TRIGGERS),
    dueBy: instant,
    detectedAt: instant,
  }),
  [T.UpdateDutyClosed]: victimSchema(['triggerEventId', 'reason', 'closedAt'], {
    triggerEventId: uuid,
    reason: oneOf(DUTY_CLOSURE_REASONS),
    closedAt: instant,
  }),
} as const;

// ---- catalogue -------------------------------------------------------------------------------------------

const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', victimId: '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e' };
const arrestEventId = '5d8e2f10-3c4b-4a69-9e7f-0a1b2c3d4e5f';

function entry(type: keyof typeof victimEventSchemas, summary: string, example: object, personalFields: readonly string[] = []): CatalogueEntry {
  return { type, context: 'victims', summary, schema: victimEventSchemas[type], personalFields, example: { ...ids, ...example } };
}

/** The victims context's event catalogue entries (pillar 3: procedurally just victim engagement). */
export const VICTIM_EVENTS: readonly CatalogueEntry[] = [
  entry(T.FirstContactMade, 'First contact with the victim was made after the report; starts the victim-in-a-case stream.', {
    offence: 'rape-of-female-16-plus', officerId: 'AS-4471', channel: 'in-person', madeAt: '2026-11-03T10:15:00Z',
  }),
  entry(T.EnhancedRightsRecorded, "The victim is entitled to the Victims' Code enhanced rights (1 working day update deadlines).", {
    categories: ['most-serious-crime'], source: 'offence-rule', recordedAt: '2026-11-03T10:15:00Z',
  }),
  entry(T.NeedsAssessmentCompleted, "The victim's needs were assessed (Victims' Code right 4); an empty list means none identified.", {
    needs: ['emotional-support', 'sexual-health', 'safety-planning'],
    notes: 'Prefers a female officer; works shifts, evenings are best.',
    completedAt: '2026-11-03T11:00:00Z',
  }, ['/notes']),
  entry(T.ReferredToIsva, 'The victim was referred to an Independent Sexual Violence Adviser service.', {
    isvaService: 'Avon and Somerset ISVA Service', referredAt: '2026-11-03T11:10:00Z',
  }),
  entry(T.ReferredToSupportService, 'The victim was referred to a support service other than an ISVA.', {
    service: 'sarc', organisation: 'The Bridge SARC, Bristol', referredAt: '2026-11-03T11:12:00Z',
  }),
  entry(T.ContactPreferencesAgreed, 'Contact channels, times and safe contact details were agreed; replaces any earlier agreement.', {
    channels: ['phone', 'via-isva'],
    times: ['weekday-evening'],
    leaveMessages: false,
    safeContact: { name: 'Sam', phone: '+44 7700 900123' },
    agreedAt: '2026-11-03T11:20:00Z',
  }, ['/safeContact/name', '/safeContact/phone', '/safeContact/email', '/safeContact/address']),
  entry(T.SpecialMeasuresRequested, 'Special measures for giving evidence were requested on the victim\'s behalf (YJCEA 1999).', {
    measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination', 'screens'], requestedAt: '2027-02-10T14:00:00Z',
  }),
  entry(T.VpsOffered, 'The victim was offered the chance to make a Victim Personal Statement.', { offeredAt: '2027-02-10T14:05:00Z' }),
  entry(T.VpsTaken, 'A Victim Personal Statement was taken; the statement itself stays in the document store.', {
    format: 'written', documentReference: 'AS-DOC-2027-018842', takenAt: '2027-02-17T10:30:00Z',
  }),
  entry(T.VpsDeclined, 'The victim declined to make a Victim Personal Statement for now.', {
    comment: 'Wants to wait until after the charging decision.', declinedAt: '2027-02-10T14:10:00Z',
  }, ['/comment']),
  entry(T.UpdateGiven, 'The victim was given an update; with a triggerEventId it answers that update duty.', {
    about: 'suspect-arrested', channel: 'phone', triggerEventId: arrestEventId,
    summary: 'Told that the suspect was arrested this morning and is being interviewed.', givenAt: '2026-11-20T18:30:00Z',
  }, ['/summary']),
  entry(T.LetterSent, 'A letter was sent at a key point of the case.', { letter: 'first-contact', channel: 'email', sentAt: '2026-11-04T09:00:00Z' }),
  entry(T.SupportWithdrawn, 'The victim withdrew support for the investigation; the reason and stage are recorded.', {
    reason: 'length-of-investigation', stage: 'awaiting-charging-decision',
    account: 'Said she cannot keep her life on hold any longer.', withdrawnAt: '2027-06-01T15:00:00Z',
  }, ['/account']),
  entry(T.ReEngaged, 'A victim who had withdrawn support re-engaged with the investigation.', { reEngagedAt: '2027-07-12T10:00:00Z' }),
  entry(T.ComplaintMade, "The victim made a complaint (Victims' Code right 12).", {
    about: 'communication', account: 'Nobody told me the suspect had been released.', madeAt: '2026-12-01T12:00:00Z',
  }, ['/account']),
  entry(T.UpdateDutyOpened, "A Victims' Code update deadline started: tell the victim within 5 working days (1 if enhanced).", {
    trigger: 'suspect-arrested', triggerEventId: arrestEventId, triggeredAt: '2026-11-20T07:05:00Z',
    enhancedRights: true, workingDays: 1, dueDate: '2026-11-23', dueBy: '2026-11-23T23:59:59.999Z',
  }),
  entry(T.UpdateDutyMet, 'An update duty was discharged by an update, on time or late.', {
    triggerEventId: arrestEventId, dueBy: '2026-11-23T23:59:59.999Z', metAt: '2026-11-20T18:30:00Z', onTime: true,
  }),
  entry(T.UpdateDeadlineMissed, "A Victims' Code update deadline passed without the update; recorded once per duty.", {
    triggerEventId: arrestEventId, trigger: 'suspect-arrested', dueBy: '2026-11-23T23:59:59.999Z', detectedAt: '2026-11-24T00:00:05Z',
  }),
  entry(T.UpdateDutyClosed, 'An open update duty was closed without an update, e.g. the case closed with an outcome.', {
    triggerEventId: arrestEventId, reason: 'case-outcome-recorded', closedAt: '2027-09-14T16:00:00Z',
  }),
];
