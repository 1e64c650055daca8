import { dateSchema, instantSchema, textSchema, uuidSchema } from './json-schema.js';
import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { OFFENCE_GROUPS } from './cases.vocabulary.js';
import { VICTIM_EVIDENCE_EVENTS } from './victims.evidence-events.js';
import {
  CONTACT_CHANNELS,
  CONTACT_TIMES,
  ENHANCED_RIGHTS_CATEGORIES,
  VICTIM_NEEDS,
  SUPPORT_SERVICES,
  SPECIAL_MEASURES,
  VPS_FORMATS,
  UPDATE_TRIGGERS,
  UPDATE_SUBJECTS,
  LETTER_KINDS,
  LETTER_CHANNELS,
  WITHDRAWAL_REASONS,
  WITHDRAWAL_STAGES,
  COMPLAINT_SUBJECTS,
  DUTY_CLOSURE_REASONS,
} from './victims.vocabulary.js';

// ---- JSON Schemas (draft 2020-12) ------------------------------------------------------------------------

const uuid = uuidSchema;
const instant = instantSchema;
const localDate = dateSchema;
const text = textSchema;
const oneOf = <const V extends string | number>(values: readonly V[]) => ({ enum: [...values] });
const setOf = <const V extends string>(values: readonly V[], minItems = 0) =>
  ({ type: 'array', uniqueItems: true, minItems, items: { enum: [...values] } }) as const;

/** Every victim event: an object with caseId and victimId, and nothing it does not declare. */
function victimSchema<const R extends string, const P extends Record<string, object>>(required: readonly R[], properties: P) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['caseId', 'victimId', ...required] as ('caseId' | 'victimId' | R)[],
    properties: { caseId: uuid, victimId: uuid, ...properties },
  } as const;
}

// ---- the events -------------------------------------------------------------------------------------------

const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', victimId: '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e' };
const arrestEventId = '5d8e2f10-3c4b-4a69-9e7f-0a1b2c3d4e5f';

const context = 'victims';

/**
 * The victims context (pillar 3: procedurally just victim engagement), each event declared once (ADR 0036). Every
 * victim event names the case and the victim (the stream is `victim-<victimId>`).
 */
const E = {
  FirstContactMade: defineEvent({
    type: 'uk.police.nom.victims.first-contact-made.v1',
    context,
    summary: 'First contact with the victim was made after the report; starts the victim-in-a-case stream.',
    schema: victimSchema(['offence', 'officerId', 'channel', 'madeAt'], {
      offence: oneOf(OFFENCE_GROUPS),
      /** Officer id, not a name. */
      officerId: { type: 'string', pattern: '^[A-Za-z0-9-]{2,32}$' },
      channel: oneOf(CONTACT_CHANNELS),
      madeAt: instant,
    }),
    example: { ...ids, offence: 'rape-of-female-16-plus', officerId: 'AS-4471', channel: 'in-person', madeAt: '2026-11-03T10:15:00Z' },
  }),
  EnhancedRightsRecorded: defineEvent({
    type: 'uk.police.nom.victims.enhanced-rights-recorded.v1',
    context,
    summary: "The victim is entitled to the Victims' Code enhanced rights (1 working day update deadlines).",
    schema: victimSchema(['categories', 'source', 'recordedAt'], {
      categories: setOf(ENHANCED_RIGHTS_CATEGORIES, 1),
      /**
       * `offence-rule`: by the system from the offence (every sexual offence; an offence against a child also as
       * vulnerable); `age-rule`: from the victim's age (under 18 when the offence was committed); `officer-assessment`.
       */
      source: oneOf(['offence-rule', 'age-rule', 'officer-assessment']),
      recordedAt: instant,
    }),
    example: { ...ids, categories: ['most-serious-crime'], source: 'offence-rule', recordedAt: '2026-11-03T10:15:00Z' },
  }),
  NeedsAssessmentCompleted: defineEvent({
    type: 'uk.police.nom.victims.needs-assessment-completed.v1',
    context,
    summary: "The victim's needs were assessed (Victims' Code right 4); an empty list means none identified.",
    schema: victimSchema(['needs', 'completedAt'], {
      /** Empty: no needs identified. */
      needs: setOf(VICTIM_NEEDS),
      /** Free text: personal. */
      notes: text(4000),
      completedAt: instant,
    }),
    personalFields: ['/notes'],
    example: {
      ...ids,
      needs: ['emotional-support', 'sexual-health', 'safety-planning'],
      notes: 'Prefers a female officer; works shifts, evenings are best.',
      completedAt: '2026-11-03T11:00:00Z',
    },
  }),
  ReferredToIsva: defineEvent({
    type: 'uk.police.nom.victims.referred-to-isva.v1',
    context,
    summary: 'The victim was referred to an Independent Sexual Violence Adviser service.',
    schema: victimSchema(['isvaService', 'referredAt'], {
      /** The ISVA service (an organisation, not a person). */
      isvaService: text(200),
      referredAt: instant,
    }),
    example: { ...ids, isvaService: 'Avon and Somerset ISVA Service', referredAt: '2026-11-03T11:10:00Z' },
  }),
  ReferredToSupportService: defineEvent({
    type: 'uk.police.nom.victims.referred-to-support-service.v1',
    context,
    summary: 'The victim was referred to a support service other than an ISVA.',
    schema: victimSchema(['service', 'organisation', 'referredAt'], {
      service: oneOf(SUPPORT_SERVICES),
      organisation: text(200),
      referredAt: instant,
    }),
    example: { ...ids, service: 'sarc', organisation: 'The Bridge SARC, Bristol', referredAt: '2026-11-03T11:12:00Z' },
  }),
  ContactPreferencesAgreed: defineEvent({
    type: 'uk.police.nom.victims.contact-preferences-agreed.v1',
    context,
    summary: 'Contact channels, times and safe contact details were agreed; replaces any earlier agreement.',
    schema: victimSchema(['channels', 'times', 'leaveMessages', 'safeContact', 'agreedAt'], {
      /** Agreed channels in order of preference; updates and letters use only these. */
      channels: setOf(CONTACT_CHANNELS, 1),
      times: setOf(CONTACT_TIMES),
      leaveMessages: { type: 'boolean' },
      /**
       * How often the victim agreed to be updated, in days, whether or not anything happened (Victims' Code right 6:
       * the frequency agreed with the victim). Optional, added in catalogue minor version: absent, no agreed frequency.
       */
      updateEveryDays: { type: 'integer', minimum: 1, maximum: 90 },
      /** Safe contact details agreed with the victim: all personal. */
      safeContact: {
        type: 'object',
        additionalProperties: false,
        properties: {
          /** The name the victim wants to be asked for (may differ from their legal name). */
          name: text(200),
          phone: { type: 'string', pattern: '^\\+?[0-9][0-9 ()-]{5,19}$' },
          email: { type: 'string', format: 'email', maxLength: 254 },
          address: text(500),
        },
      },
      agreedAt: instant,
    }),
    personalFields: ['/safeContact/name', '/safeContact/phone', '/safeContact/email', '/safeContact/address'],
    example: {
      ...ids,
      channels: ['phone', 'via-isva'],
      times: ['weekday-evening'],
      leaveMessages: false,
      safeContact: { name: 'Sam', phone: '+44 7700 900123' },
      agreedAt: '2026-11-03T11:20:00Z',
    },
  }),
  SpecialMeasuresRequested: defineEvent({
    type: 'uk.police.nom.victims.special-measures-requested.v1',
    context,
    summary: "Special measures for giving evidence were requested on the victim's behalf (YJCEA 1999).",
    schema: victimSchema(['measures', 'requestedAt'], {
      measures: setOf(SPECIAL_MEASURES, 1),
      requestedAt: instant,
    }),
    example: {
      ...ids,
      measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination', 'screens'],
      requestedAt: '2027-02-10T14:00:00Z',
    },
  }),
  VpsOffered: defineEvent({
    type: 'uk.police.nom.victims.victim-personal-statement-offered.v1',
    context,
    summary: 'The victim was offered the chance to make a Victim Personal Statement.',
    schema: victimSchema(['offeredAt'], { offeredAt: instant }),
    example: { ...ids, offeredAt: '2027-02-10T14:05:00Z' },
  }),
  VpsTaken: defineEvent({
    type: 'uk.police.nom.victims.victim-personal-statement-taken.v1',
    context,
    summary: 'A Victim Personal Statement was taken; the statement itself stays in the document store.',
    schema: victimSchema(['format', 'documentReference', 'takenAt'], {
      format: oneOf(VPS_FORMATS),
      /** Reference of the statement in the force's document store; the statement itself never enters an event. */
      documentReference: text(64),
      takenAt: instant,
    }),
    example: { ...ids, format: 'written', documentReference: 'AS-DOC-2027-018842', takenAt: '2027-02-17T10:30:00Z' },
  }),
  VpsDeclined: defineEvent({
    type: 'uk.police.nom.victims.victim-personal-statement-declined.v1',
    context,
    summary: 'The victim declined to make a Victim Personal Statement for now.',
    schema: victimSchema(['declinedAt'], {
      /** What the victim said, if they chose to say why: personal. */
      comment: text(2000),
      declinedAt: instant,
    }),
    personalFields: ['/comment'],
    example: { ...ids, comment: 'Wants to wait until after the charging decision.', declinedAt: '2027-02-10T14:10:00Z' },
  }),
  UpdateGiven: defineEvent({
    type: 'uk.police.nom.victims.update-given.v1',
    context,
    summary: 'The victim was given an update; with a triggerEventId it answers that update duty.',
    schema: victimSchema(['about', 'channel', 'givenAt'], {
      about: oneOf(UPDATE_SUBJECTS),
      channel: oneOf(CONTACT_CHANNELS),
      /** The trigger (event id) of the update duty this update answers, if any. */
      triggerEventId: uuid,
      /** Free text of what was said: personal. */
      summary: text(4000),
      givenAt: instant,
    }),
    personalFields: ['/summary'],
    example: {
      ...ids,
      about: 'suspect-arrested',
      channel: 'phone',
      triggerEventId: arrestEventId,
      summary: 'Told that the suspect was arrested this morning and is being interviewed.',
      givenAt: '2026-11-20T18:30:00Z',
    },
  }),
  LetterSent: defineEvent({
    type: 'uk.police.nom.victims.letter-sent.v1',
    context,
    summary: 'A letter was sent at a key point of the case.',
    schema: victimSchema(['letter', 'channel', 'sentAt'], {
      letter: oneOf(LETTER_KINDS),
      channel: oneOf(LETTER_CHANNELS),
      sentAt: instant,
    }),
    example: { ...ids, letter: 'first-contact', channel: 'email', sentAt: '2026-11-04T09:00:00Z' },
  }),
  SupportWithdrawn: defineEvent({
    type: 'uk.police.nom.victims.support-withdrawn.v1',
    context,
    summary: 'The victim withdrew support for the investigation; the reason and stage are recorded.',
    schema: victimSchema(['reason', 'stage', 'withdrawnAt'], {
      reason: oneOf(WITHDRAWAL_REASONS),
      stage: oneOf(WITHDRAWAL_STAGES),
      /** The victim's own account of why: personal. Required when the reason is `other`. */
      account: text(4000),
      withdrawnAt: instant,
    }),
    personalFields: ['/account'],
    example: {
      ...ids,
      reason: 'length-of-investigation',
      stage: 'awaiting-charging-decision',
      account: 'Said she cannot keep her life on hold any longer.',
      withdrawnAt: '2027-06-01T15:00:00Z',
    },
  }),
  ReEngaged: defineEvent({
    type: 'uk.police.nom.victims.re-engaged.v1',
    context,
    summary: 'A victim who had withdrawn support re-engaged with the investigation.',
    schema: victimSchema(['reEngagedAt'], { reEngagedAt: instant }),
    example: { ...ids, reEngagedAt: '2027-07-12T10:00:00Z' },
  }),
  ComplaintMade: defineEvent({
    type: 'uk.police.nom.victims.complaint-made.v1',
    context,
    summary: "The victim made a complaint (Victims' Code right 12).",
    schema: victimSchema(['about', 'account', 'madeAt'], {
      about: oneOf(COMPLAINT_SUBJECTS),
      /** The complaint in the victim's words: personal. */
      account: text(8000),
      madeAt: instant,
    }),
    personalFields: ['/account'],
    example: { ...ids, about: 'communication', account: 'Nobody told me the suspect had been released.', madeAt: '2026-12-01T12:00:00Z' },
  }),
  /**
   * A Victims' Code update deadline (a timer). Everything a timer needs is here, so folding the stream rebuilds
   * every open timer after a restart, and a later change to the calendar never moves a deadline already set.
   */
  UpdateDutyOpened: defineEvent({
    type: 'uk.police.nom.victims.update-duty-opened.v1',
    context,
    summary: "A Victims' Code update deadline started: tell the victim within 5 working days (1 if enhanced).",
    schema: victimSchema(['trigger', 'triggerEventId', 'triggeredAt', 'enhancedRights', 'workingDays', 'dueDate', 'dueBy'], {
      trigger: oneOf(UPDATE_TRIGGERS),
      /** Id of the event (e.g. suspect arrested) that opened the duty; identifies the duty. */
      triggerEventId: uuid,
      triggeredAt: instant,
      enhancedRights: { type: 'boolean' },
      workingDays: { type: 'integer', minimum: 1, maximum: 30 },
      /** Last day of the deadline, Europe/London local date. */
      dueDate: localDate,
      /** Last instant of `dueDate` in Europe/London (23:59:59.999 local), as UTC. */
      dueBy: instant,
    }),
    example: {
      ...ids,
      trigger: 'suspect-arrested',
      triggerEventId: arrestEventId,
      triggeredAt: '2026-11-20T07:05:00Z',
      enhancedRights: true,
      workingDays: 1,
      dueDate: '2026-11-23',
      dueBy: '2026-11-23T23:59:59.999Z',
    },
  }),
  UpdateDutyMet: defineEvent({
    type: 'uk.police.nom.victims.update-duty-met.v1',
    context,
    summary: 'An update duty was discharged by an update, on time or late.',
    schema: victimSchema(['triggerEventId', 'dueBy', 'metAt', 'onTime'], {
      triggerEventId: uuid,
      dueBy: instant,
      metAt: instant,
      onTime: { type: 'boolean' },
    }),
    example: { ...ids, triggerEventId: arrestEventId, dueBy: '2026-11-23T23:59:59.999Z', metAt: '2026-11-20T18:30:00Z', onTime: true },
  }),
  UpdateDeadlineMissed: defineEvent({
    type: 'uk.police.nom.victims.update-deadline-missed.v1',
    context,
    summary: "A Victims' Code update deadline passed without the update; recorded once per duty.",
    schema: victimSchema(['triggerEventId', 'trigger', 'dueBy', 'detectedAt'], {
      triggerEventId: uuid,
      trigger: oneOf(UPDATE_TRIGGERS),
      dueBy: instant,
      detectedAt: instant,
    }),
    example: {
      ...ids,
      triggerEventId: arrestEventId,
      trigger: 'suspect-arrested',
      dueBy: '2026-11-23T23:59:59.999Z',
      detectedAt: '2026-11-24T00:00:05Z',
    },
  }),
  UpdateDutyClosed: defineEvent({
    type: 'uk.police.nom.victims.update-duty-closed.v1',
    context,
    summary: 'An open update duty was closed without an update, e.g. the case closed with an outcome.',
    schema: victimSchema(['triggerEventId', 'reason', 'closedAt'], {
      triggerEventId: uuid,
      reason: oneOf(DUTY_CLOSURE_REASONS),
      closedAt: instant,
    }),
    example: { ...ids, triggerEventId: arrestEventId, reason: 'case-outcome-recorded', closedAt: '2027-09-14T16:00:00Z' },
  }),
  AgreedUpdateMissed: defineEvent({
    type: 'uk.police.nom.victims.agreed-update-missed.v1',
    context,
    summary:
      'A period of the update frequency agreed with the victim ended with no update given to them (the recurring timer); the next period starts.',
    schema: victimSchema(['everyDays', 'periodStartedAt', 'dueBy', 'detectedAt'], {
      everyDays: { type: 'integer', minimum: 1, maximum: 90 },
      /** When the period began: the agreement, the last update given, or the end of the last period missed. */
      periodStartedAt: instant,
      /** The end of the period's last day, London time. */
      dueBy: instant,
      detectedAt: instant,
    }),
    example: {
      ...ids,
      everyDays: 14,
      periodStartedAt: '2026-11-03T11:20:00Z',
      dueBy: '2026-11-17T23:59:59.999Z',
      detectedAt: '2026-11-18T00:01:00Z',
    },
  }),
  // The victim's evidence: ABE interview, forensic medical examination, special measures, s28 (issue 13).
  ...VICTIM_EVIDENCE_EVENTS,
};

export const VictimEventTypes = typesOf(E);
/** Each victim event's data, by name (inferred from its schema). */
export type VictimEventData = DataMap<typeof E>;
export type SafeContact = NonNullable<VictimEventData['ContactPreferencesAgreed']['safeContact']>;
export type VictimEvent = EventUnion<typeof E>;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const victimEventSchemas = schemasOf(E);

/** The victims context's event catalogue entries. */
export const VICTIM_EVENTS = catalogueOf(E);

export * from './victims.vocabulary.js';
export * from './evidence-court.vocabulary.js';
