import { dateSchema, instantSchema, officerIdSchema, uuidSchema } from './json-schema.js';
import { catalogueOf, defineEvent, schemasOf, typesOf, type DataMap, type EventUnion } from './event-definition.js';
import { FORCE_CODES } from './forces.js';
import { NATIONAL } from './scope.js';

/** SSAIDP: Specialist Sexual Assault Investigators Development Programme; PIP: Professionalising Investigation
 * Programme levels; SOIT: sexual offences investigative techniques (specially trained officer). */
export const ACCREDITATION_PROGRAMMES = ['ssaidp', 'pip-1', 'pip-2', 'soit'] as const;
export type AccreditationProgramme = (typeof ACCREDITATION_PROGRAMMES)[number];
export const LAPSE_REASONS = ['expired', 'revoked', 'left-specialist-role'] as const;
export type LapseReason = (typeof LAPSE_REASONS)[number];
/** Categories, never free text: a wellbeing note is sensitive personal data the backbone has no need to hold. */
export const WELLBEING_OUTCOMES = [
  'no-concerns',
  'support-offered',
  'workload-adjusted',
  'referred-to-occupational-health',
  // TRiM: trauma risk management, the peer-support process many forces run after traumatic work.
  'referred-to-trim',
] as const;
export type WellbeingOutcome = (typeof WELLBEING_OUTCOMES)[number];
export const REVIEW_FINDINGS = ['good-practice', 'meets-standard', 'improvement-needed', 'significant-concerns'] as const;
export type ReviewFindings = (typeof REVIEW_FINDINGS)[number];
/** A lesson is filed under the operating-model pillar it feeds back into. */
export const LESSON_CATEGORIES = [
  'suspect-focused-investigation',
  'repeat-suspects',
  'victim-engagement',
  'learning-and-wellbeing',
  'data-driven-problem-solving',
  'digital-forensics-and-disclosure',
] as const;
export type LessonCategory = (typeof LESSON_CATEGORIES)[number];

const officerId = officerIdSchema;
const uuid = uuidSchema;
const instant = instantSchema;
const date = dateSchema;
const programme = { enum: [...ACCREDITATION_PROGRAMMES] } as const;
const version = { type: 'string', pattern: '^[0-9]{4}\\.[0-9]{1,3}$' } as const;
const months = { type: 'integer', minimum: 1, maximum: 120 } as const;
const workingDays = { type: 'integer', minimum: 1, maximum: 30 } as const;
const strictObject = <const P extends Record<string, object>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, required: Object.keys(properties) as (keyof P)[], properties }) as const;

const officer = 'AS-4471';
const reviewedCase = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
const context = 'learning';

/**
 * Pillar 4 (learning, development and wellbeing) and the operating model itself: each event declared once (ADR 0036).
 * Streams: `officer-<force>-<officerId>` (an officer's development), `operating-model` (the national team's versions,
 * national events on the national topic), `operating-model-<force>` (the versions one force adopted).
 */
const E = {
  AccreditationEnrolled: defineEvent({
    type: 'uk.police.nom.learning.accreditation-enrolled.v1',
    context,
    summary: 'An officer enrolled on a specialist accreditation programme (e.g. SSAIDP, PIP level 2).',
    schema: strictObject({ officerId, programme, enrolledAt: instant }),
    example: { officerId: officer, programme: 'ssaidp', enrolledAt: '2026-09-01T09:00:00Z' },
  }),
  AccreditationAchieved: defineEvent({
    type: 'uk.police.nom.learning.accreditation-achieved.v1',
    context,
    summary: 'An officer achieved the accreditation of a programme they were enrolled on.',
    schema: strictObject({ officerId, programme, achievedAt: instant }),
    example: { officerId: officer, programme: 'ssaidp', achievedAt: '2027-03-12T15:30:00Z' },
  }),
  AccreditationLapsed: defineEvent({
    type: 'uk.police.nom.learning.accreditation-lapsed.v1',
    context,
    summary: 'An accreditation the officer held lapsed (expired, revoked or left the specialist role).',
    schema: strictObject({ officerId, programme, reason: { enum: [...LAPSE_REASONS] }, lapsedAt: instant }),
    example: { officerId: officer, programme: 'pip-2', reason: 'expired', lapsedAt: '2028-03-12T00:00:00Z' },
  }),
  TrainingCompleted: defineEvent({
    type: 'uk.police.nom.learning.training-completed.v1',
    context,
    summary: 'An officer completed a training course, with the hours it counts for.',
    schema: strictObject({
      officerId,
      courseCode: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' },
      hours: { type: 'number', exclusiveMinimum: 0, maximum: 500 },
      completedAt: instant,
    }),
    example: { officerId: officer, courseCode: 'RASSO-NOM-101', hours: 7.5, completedAt: '2026-10-14T16:00:00Z' },
  }),
  CaseloadRecorded: defineEvent({
    type: 'uk.police.nom.learning.caseload-recorded.v1',
    context,
    summary: "An officer's open case count on a date, and whether it exceeded the force's threshold.",
    schema: strictObject({
      officerId,
      /** Calendar date (YYYY-MM-DD) the count was taken on. */
      asOf: date,
      openCases: { type: 'integer', minimum: 0 },
      /** The force's own caseload threshold at that date; forces set their own. */
      threshold: { type: 'integer', minimum: 1 },
      thresholdExceeded: { type: 'boolean' },
    }),
    example: { officerId: officer, asOf: '2026-11-30', openCases: 14, threshold: 12, thresholdExceeded: true },
  }),
  WellbeingCheckInHeld: defineEvent({
    type: 'uk.police.nom.learning.wellbeing-check-in-held.v1',
    context,
    summary: 'A wellbeing check-in was held with an officer; only its outcome category is recorded, never notes.',
    schema: strictObject({
      officerId,
      heldOn: date,
      /** Officer id of whoever held the check-in (a supervisor or welfare lead), never the officer themselves. */
      heldBy: officerId,
      outcome: { enum: [...WELLBEING_OUTCOMES] },
    }),
    // An outcome such as a referral to occupational health is health data about the officer: sensitive processing.
    personalFields: ['/outcome'],
    example: { officerId: officer, heldOn: '2026-12-02', heldBy: 'AS-SUP1', outcome: 'workload-adjusted' },
  }),
  CaseReviewHeld: defineEvent({
    type: 'uk.police.nom.learning.case-review-held.v1',
    context,
    summary: "A supervisor reviewed an officer's case; the reviewer is never the officer in the case.",
    schema: strictObject({
      /** The officer in the case, whose work is reviewed. */
      officerId,
      caseId: uuid,
      reviewerId: officerId,
      findings: { enum: [...REVIEW_FINDINGS] },
      actionsRaised: { type: 'integer', minimum: 0 },
      reviewedAt: instant,
    }),
    example: {
      officerId: officer,
      caseId: reviewedCase,
      reviewerId: 'AS-SUP1',
      findings: 'improvement-needed',
      actionsRaised: 3,
      reviewedAt: '2026-12-09T11:00:00Z',
    },
  }),
  LessonLearnedRecorded: defineEvent({
    type: 'uk.police.nom.learning.lesson-learned-recorded.v1',
    context,
    summary: 'A lesson learned from a case review, under its pillar, shareable nationally or not.',
    schema: strictObject({
      officerId,
      lessonId: uuid,
      /** The reviewed case the lesson came from. */
      caseId: uuid,
      category: { enum: [...LESSON_CATEGORIES] },
      shareNationally: { type: 'boolean' },
      recordedAt: instant,
    }),
    example: {
      officerId: officer,
      lessonId: '9b2d7c1e-4f3a-4e8b-a6d5-0c1f2e3d4b5a',
      caseId: reviewedCase,
      category: 'victim-engagement',
      shareNationally: true,
      recordedAt: '2026-12-09T12:00:00Z',
    },
  }),
  /** Recorded by the supervisory review timer (process manager): the case's review cycle ran out (docs/disruption.md). */
  CaseReviewOverdue: defineEvent({
    type: 'uk.police.nom.learning.case-review-overdue.v1',
    context,
    summary: "An officer's case has had no supervisory review by the end of its cycle (once per cycle).",
    schema: strictObject({
      /** The officer in the case (the assigned investigator). */
      officerId,
      caseId: uuid,
      /** The last day the review was due by (UK date). */
      dueBy: date,
      detectedAt: instant,
    }),
    example: { officerId: officer, caseId: reviewedCase, dueBy: '2027-01-06', detectedAt: '2027-01-07T00:01:00Z' },
  }),
  ModelVersionPublished: defineEvent({
    type: 'uk.police.nom.learning.model-version-published.v1',
    context,
    summary: 'The national team published a version of the operating model: catalogue and rules.',
    schema: strictObject({
      /** `<year>.<release>`, e.g. `2026.1`. */
      version,
      catalogueVersion: version,
      /** The model's rules as data, so that a new version changes behaviour without a release. */
      rules: strictObject({
        /** Victims' Code right 6: update the victim within this many working days of a key event. */
        victimUpdateDeadline: strictObject({ standardWorkingDays: workingDays, enhancedWorkingDays: workingDays }),
        /** Pre-charge bail limits in months (since 28 Oct 2022: 3, to 6 by an inspector, to 9 by a superintendent). */
        preChargeBail: strictObject({
          initialPeriodMonths: months,
          inspectorLimitMonths: months,
          superintendentLimitMonths: months,
        }),
      }),
      publishedAt: instant,
    }),
    example: {
      version: '2026.1',
      catalogueVersion: '2026.1',
      rules: {
        victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
        preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
      },
      publishedAt: '2026-07-01T09:00:00Z',
    },
    scope: NATIONAL,
  }),
  ModelVersionSuperseded: defineEvent({
    type: 'uk.police.nom.learning.model-version-superseded.v1',
    context,
    summary: 'The national team superseded a version by a later one; forces can no longer adopt it.',
    schema: strictObject({ version, supersededBy: version, supersededAt: instant }),
    example: { version: '2026.1', supersededBy: '2027.1', supersededAt: '2027-04-01T09:00:00Z' },
    scope: NATIONAL,
  }),
  ModelVersionAdopted: defineEvent({
    type: 'uk.police.nom.learning.model-version-adopted.v1',
    context,
    summary: 'A force adopted a published version of the model; it is in force there from then on.',
    schema: strictObject({ force: { enum: [...FORCE_CODES] }, version, adoptedAt: instant }),
    example: { force: 'wiltshire', version: '2026.1', adoptedAt: '2026-09-01T08:00:00Z' },
  }),
};

/** The learning context's type names (literal types). */
export const LearningEventTypes = typesOf(E);
/** Each learning event's data, by name (inferred from its schema). */
export type LearningEventData = DataMap<typeof E>;
/** The model's rules as data (ModelVersionPublished). */
export type ModelRules = LearningEventData['ModelVersionPublished']['rules'];

/** Stream `officer-<force>-<officerId>`. */
export type OfficerDevelopmentEvent = EventUnion<
  Pick<
    typeof E,
    | 'AccreditationEnrolled'
    | 'AccreditationAchieved'
    | 'AccreditationLapsed'
    | 'TrainingCompleted'
    | 'CaseloadRecorded'
    | 'WellbeingCheckInHeld'
    | 'CaseReviewHeld'
    | 'CaseReviewOverdue'
    | 'LessonLearnedRecorded'
  >
>;
/** Stream `operating-model`: the national team's versions. */
export type NationalModelEvent = EventUnion<Pick<typeof E, 'ModelVersionPublished' | 'ModelVersionSuperseded'>>;
/** Stream `operating-model-<force>`: the versions one force adopted. */
export type ForceModelEvent = EventUnion<Pick<typeof E, 'ModelVersionAdopted'>>;
export type LearningEvent = EventUnion<typeof E>;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const learningEventSchemas = schemasOf(E);
/** The learning context's event catalogue entries. */
export const LEARNING_EVENTS = catalogueOf(E);
