import {
  dateSchema as day,
  enumSchema as enumOf,
  instantSchema as instant,
  recordSchema as record,
  textSchema as text,
  uuidSchema as uuid,
} from './json-schema.js';
import { defineEvent } from './event-definition.js';
import { SPECIAL_MEASURES } from './victims.vocabulary.js';
import {
  FORENSIC_CONSENTS,
  SARC_KINDS,
  SPECIAL_MEASURE_SECTION_NUMBERS,
  SPECIAL_MEASURES_ELIGIBILITY,
} from './evidence-court.vocabulary.js';

/**
 * The victim's evidence (issue 13, docs/evidence-and-court.md): the video-recorded (ABE) interview, the forensic
 * medical examination at a SARC, special measures applied for to the court and the court's direction, and the
 * pre-recorded cross-examination under YJCEA 1999 s28. Events record that things happened and the references to
 * them, never their content (the recording stays in the force's evidence store).
 */

const context = 'victims';
const ids = { caseId: '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60', victimId: '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e' };
const interviewId = '0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d';
const examinationId = '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';
const applicationId = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b';

const setOf = <const V extends string>(values: readonly V[], minItems = 0) =>
  ({ type: 'array', uniqueItems: true, minItems, items: { enum: [...values] } }) as const;

/** A victim event: caseId and victimId, the properties given, all required but those named optional. */
function onVictim<const P extends Record<string, object>, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
) {
  const all = { caseId: uuid, victimId: uuid, ...properties };
  const required = Object.keys(all).filter((key) => !(optional as readonly string[]).includes(key)) as Exclude<
    keyof typeof all & string,
    O
  >[];
  return { type: 'object', additionalProperties: false, required, properties: all } as const;
}

/** Reference of a recording in the force's evidence store; the recording itself never enters an event. */
const recordingReference = text(64);

export const VICTIM_EVIDENCE_EVENTS = {
  AbeInterviewPlanned: defineEvent({
    type: 'uk.police.nom.victims.abe-interview-planned.v1',
    context,
    summary: 'A video-recorded interview of the victim was planned (Achieving Best Evidence, 2022: phase 1, planning).',
    schema: onVictim({
      interviewId: uuid,
      /** When the interview is to take place. */
      plannedFor: instant,
      /** A registered intermediary is to assist (YJCEA 1999 s29; assessed while planning). */
      withIntermediary: { type: 'boolean' },
      plannedAt: instant,
    }),
    example: { ...ids, interviewId, plannedFor: '2026-11-06T10:00:00Z', withIntermediary: false, plannedAt: '2026-11-03T12:00:00Z' },
  }),
  AbeInterviewConducted: defineEvent({
    type: 'uk.police.nom.victims.abe-interview-conducted.v1',
    context,
    summary: 'The planned video-recorded interview took place and was recorded; the recording is kept in the evidence store.',
    schema: onVictim({ interviewId: uuid, recordingReference, conductedAt: instant }),
    example: { ...ids, interviewId, recordingReference: 'AS-VRI-2026-004417', conductedAt: '2026-11-06T11:40:00Z' },
  }),
  ForensicExaminationReferred: defineEvent({
    type: 'uk.police.nom.victims.forensic-medical-examination-referred.v1',
    context,
    summary: 'The victim was referred to a SARC for a forensic medical examination.',
    schema: onVictim({
      examinationId: uuid,
      /** The SARC: which one, and what kind, reveals a sexual-offence examination (health data): personal. */
      sarc: record({ name: text(200), serviceKind: enumOf(SARC_KINDS) }),
      referredAt: instant,
    }),
    personalFields: ['/sarc/name', '/sarc/serviceKind'],
    example: {
      ...ids,
      examinationId,
      sarc: { name: 'The Bridge SARC, Bristol', serviceKind: 'all-age-sarc' },
      referredAt: '2026-11-03T11:30:00Z',
    },
  }),
  ForensicExaminationCompleted: defineEvent({
    type: 'uk.police.nom.victims.forensic-medical-examination-completed.v1',
    context,
    summary: "The forensic medical examination took place with the victim's consent, recorded beforehand and by scope.",
    schema: onVictim({
      examinationId: uuid,
      /** What the victim consented to; always the examination itself. */
      consentedTo: setOf(FORENSIC_CONSENTS, 1),
      consentRecordedAt: instant,
      examinedAt: instant,
    }),
    example: {
      ...ids,
      examinationId,
      consentedTo: ['examination', 'forensic-samples', 'sample-retention', 'share-findings-with-police'],
      consentRecordedAt: '2026-11-03T14:00:00Z',
      examinedAt: '2026-11-03T14:30:00Z',
    },
  }),
  ForensicExaminationDeclined: defineEvent({
    type: 'uk.police.nom.victims.forensic-medical-examination-declined.v1',
    context,
    summary: 'The victim declined the forensic medical examination they were referred for.',
    schema: onVictim({ examinationId: uuid, declinedAt: instant }),
    example: { ...ids, examinationId, declinedAt: '2026-11-03T13:00:00Z' },
  }),
  SpecialMeasuresAppliedFor: defineEvent({
    type: 'uk.police.nom.victims.special-measures-applied-for.v1',
    context,
    summary: 'The prosecution applied to the court for a special measures direction for the victim (YJCEA 1999 s19; CrimPR Part 18).',
    schema: onVictim({
      applicationId: uuid,
      measures: setOf(SPECIAL_MEASURES, 1),
      /** The sections of YJCEA 1999 providing the measures, in the order of `measures` (ss23-30). */
      sections: setOf(SPECIAL_MEASURE_SECTION_NUMBERS, 1),
      /** Why the victim is eligible (s16, s17); a complainant of a sexual offence always is (s17(4)). */
      eligibility: setOf(SPECIAL_MEASURES_ELIGIBILITY, 1),
      appliedAt: instant,
    }),
    example: {
      ...ids,
      applicationId,
      measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination', 'screens'],
      sections: ['s27', 's28', 's23'],
      eligibility: ['s17-4-sexual-offence-complainant'],
      appliedAt: '2027-03-20T10:00:00Z',
    },
  }),
  SpecialMeasuresDecided: defineEvent({
    type: 'uk.police.nom.victims.special-measures-decided.v1',
    context,
    summary: 'The court decided a special measures application: each measure applied for granted (a direction, s19) or refused.',
    schema: onVictim({ applicationId: uuid, granted: setOf(SPECIAL_MEASURES), refused: setOf(SPECIAL_MEASURES), decidedAt: instant }),
    example: {
      ...ids,
      applicationId,
      granted: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
      refused: ['screens'],
      decidedAt: '2027-04-02T11:00:00Z',
    },
  }),
  PreRecordedCrossExaminationOrdered: defineEvent({
    type: 'uk.police.nom.victims.pre-recorded-cross-examination-ordered.v1',
    context,
    summary: "The court listed the victim's pre-recorded cross-examination (YJCEA 1999 s28) after a ground rules hearing.",
    schema: onVictim({ hearingDate: day, orderedAt: instant }),
    example: { ...ids, hearingDate: '2027-05-10', orderedAt: '2027-04-02T11:00:00Z' },
  }),
  PreRecordedCrossExaminationRecorded: defineEvent({
    type: 'uk.police.nom.victims.pre-recorded-cross-examination-recorded.v1',
    context,
    summary: "The victim's cross-examination was video recorded before the trial (s28); it is played at the trial.",
    schema: onVictim({ recordingReference, recordedAt: instant }),
    example: { ...ids, recordingReference: 'CC-S28-2027-000912', recordedAt: '2027-05-10T12:30:00Z' },
  }),
};
