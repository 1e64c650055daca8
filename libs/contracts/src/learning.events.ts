import { dateSchema, instantSchema, officerIdSchema, uuidSchema } from './json-schema.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import { FORCE_CODES, type ForceCode } from './forces.js';
import { NATIONAL } from './scope.js';

/** Pillar 4 (learning, development and wellbeing) and the operating model itself. Literal type names. */
export const LearningEventTypes = {
  AccreditationEnrolled: 'uk.police.nom.learning.accreditation-enrolled.v1',
  AccreditationAchieved: 'uk.police.nom.learning.accreditation-achieved.v1',
  AccreditationLapsed: 'uk.police.nom.learning.accreditation-lapsed.v1',
  TrainingCompleted: 'uk.police.nom.learning.training-completed.v1',
  CaseloadRecorded: 'uk.police.nom.learning.caseload-recorded.v1',
  WellbeingCheckInHeld: 'uk.police.nom.learning.wellbeing-check-in-held.v1',
  CaseReviewHeld: 'uk.police.nom.learning.case-review-held.v1',
  LessonLearnedRecorded: 'uk.police.nom.learning.lesson-learned-recorded.v1',
  ModelVersionPublished: 'uk.police.nom.learning.model-version-published.v1',
  ModelVersionSuperseded: 'uk.police.nom.learning.model-version-superseded.v1',
  ModelVersionAdopted: 'uk.police.nom.learning.model-version-adopted.v1',
} as const;
const T = LearningEventTypes;

/** SSAIDP: Specialist Sexual Assault Investigators Development Programme; PIP: Professionalising Investigation
 * Programme levels; SOIT: sexual offences investigative techniques (specially trained officer). */
export const ACCREDITATION_PROGRAMMES = ['ssaidp', 'pip-1', 'pip-2', 'soit'] as const;
export type AccreditationProgramme = (typeof ACCREDITATION_PROGRAMMES)[number];
export const LAPSE_REASONS = ['expired', 'revoked', 'left-specialist-role'] as const;
export type LapseReason = (typeof LAPSE_REASONS)[number];
/** Categories, never free text: a wellbeing note is sensitive personal data the backbone has no need to hold. */
export const WELLBEING_OUTCOMES = [
  'no-concerns', 'support-offered', 'workload-adjusted', 'referred-to-occupational-health',
  // TRiM: trauma risk management, the peer-support process many forces run after traumatic work.
  'referred-to-trim',
] as const;
export type WellbeingOutcome = (typeof WELLBEING_OUTCOMES)[number];
export const REVIEW_FINDINGS = ['good-practice', 'meets-standard', 'improvement-needed', 'significant-concerns'] as const;
export type ReviewFindings = (typeof REVIEW_FINDINGS)[number];
/** A lesson is filed under the operating-model pillar it feeds back into. */
export const LESSON_CATEGORIES = [
  'suspect-focused-investigation', 'repeat-suspects', 'victim-engagement', 'learning-and-wellbeing',
  'data-driven-problem-solving', 'digital-forensics-and-disclosure',
] as const;
export type LessonCategory = (typeof LESSON_CATEGORIES)[number];

export interface AccreditationEnrolledData {
  readonly officerId: string;
  readonly programme: AccreditationProgramme;
  readonly enrolledAt: string;
}
export interface AccreditationAchievedData {
  readonly officerId: string;
  readonly programme: AccreditationProgramme;
  readonly achievedAt: string;
}
export interface AccreditationLapsedData {
  readonly officerId: string;
  readonly programme: AccreditationProgramme;
  readonly reason: LapseReason;
  readonly lapsedAt: string;
}
export interface TrainingCompletedData {
  readonly officerId: string;
  readonly courseCode: string;
  readonly hours: number;
  readonly completedAt: string;
}
export interface CaseloadRecordedData {
  readonly officerId: string;
  /** Calendar date (YYYY-MM-DD) the count was taken on. */
  readonly asOf: string;
  readonly openCases: number;
  /** The force's own caseload threshold at that date; forces set their own. */
  readonly threshold: number;
  readonly thresholdExceeded: boolean;
}
export interface WellbeingCheckInHeldData {
  readonly officerId: string;
  readonly heldOn: string;
  /** Officer id of whoever held the check-in (a supervisor or welfare lead), never the officer themselves. */
  readonly heldBy: string;
  readonly outcome: WellbeingOutcome;
}
export interface CaseReviewHeldData {
  /** The officer in the case, whose work is reviewed. */
  readonly officerId: string;
  readonly caseId: string;
  readonly reviewerId: string;
  readonly findings: ReviewFindings;
  readonly actionsRaised: number;
  readonly reviewedAt: string;
}
export interface LessonLearnedRecordedData {
  readonly officerId: string;
  readonly lessonId: string;
  /** The reviewed case the lesson came from. */
  readonly caseId: string;
  readonly category: LessonCategory;
  readonly shareNationally: boolean;
  readonly recordedAt: string;
}

/** The model's rules as data, so that a new version changes behaviour without a release. */
export interface ModelRules {
  /** Victims' Code right 6: update the victim within this many working days of a key event. */
  readonly victimUpdateDeadline: { readonly standardWorkingDays: number; readonly enhancedWorkingDays: number };
  /** Pre-charge bail limits in months (since 28 Oct 2022: 3, to 6 by an inspector, to 9 by a superintendent). */
  readonly preChargeBail: {
    readonly initialPeriodMonths: number;
    readonly inspectorLimitMonths: number;
    readonly superintendentLimitMonths: number;
  };
}
export interface ModelVersionPublishedData {
  /** `<year>.<release>`, e.g. `2026.1`. */
  readonly version: string;
  readonly catalogueVersion: string;
  readonly rules: ModelRules;
  readonly publishedAt: string;
}
export interface ModelVersionSupersededData {
  readonly version: string;
  readonly supersededBy: string;
  readonly supersededAt: string;
}
export interface ModelVersionAdoptedData { readonly force: ForceCode; readonly version: string; readonly adoptedAt: string }

type Ev<K extends keyof typeof T, D> = { readonly type: (typeof T)[K]; readonly data: D };
/** Stream `officer-<force>-<officerId>`. */
export type OfficerDevelopmentEvent =
  | Ev<'AccreditationEnrolled', AccreditationEnrolledData>
  | Ev<'AccreditationAchieved', AccreditationAchievedData>
  | Ev<'AccreditationLapsed', AccreditationLapsedData>
  | Ev<'TrainingCompleted', TrainingCompletedData>
  | Ev<'CaseloadRecorded', CaseloadRecordedData>
  | Ev<'WellbeingCheckInHeld', WellbeingCheckInHeldData>
  | Ev<'CaseReviewHeld', CaseReviewHeldData>
  | Ev<'LessonLearnedRecorded', LessonLearnedRecordedData>;
/** Stream `operating-model`: the national team's versions. */
export type NationalModelEvent =
  | Ev<'ModelVersionPublished', ModelVersionPublishedData>
  | Ev<'ModelVersionSuperseded', ModelVersionSupersededData>;
/** Stream `operating-model-<force>`: the versions one force adopted. */
export type ForceModelEvent = Ev<'ModelVersionAdopted', ModelVersionAdoptedData>;
export type LearningEvent = OfficerDevelopmentEvent | NationalModelEvent | ForceModelEvent;

const officerId = officerIdSchema;
const uuid = uuidSchema;
const instant = instantSchema;
const date = dateSchema;
const programme = { enum: [...ACCREDITATION_PROGRAMMES] } as const;
const version = { type: 'string', pattern: '^[0-9]{4}\\.[0-9]{1,3}$' } as const;
const months = { type: 'integer', minimum: 1, maximum: 120 } as const;
const workingDays = { type: 'integer', minimum: 1, maximum: 30 } as const;
const strictObject = <P extends Record<string, object>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, required: Object.keys(properties), properties }) as const;

/** JSON Schemas (draft 2020-12), one per event type and version. */
export const learningEventSchemas = {
  [T.AccreditationEnrolled]: strictObject({ officerId, programme, enrolledAt: instant }),
  [T.AccreditationAchieved]: strictObject({ officerId, programme, achievedAt: instant }),
  [T.AccreditationLapsed]: strictObject({ officerId, programme, reason: { enum: [...LAPSE_REASONS] }, lapsedAt: instant }),
  [T.TrainingCompleted]: strictObject({
    officerId,
    courseCode: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' },
    hours: { type: 'number', exclusiveMinimum: 0, maximum: 500 },
    completedAt: instant,
  }),
  [T.CaseloadRecorded]: strictObject({
    officerId,
    asOf: date,
    openCases: { type: 'integer', minimum: 0 },
    threshold: { type: 'integer', minimum: 1 },
    thresholdExceeded: { type: 'boolean' },
  }),
  [T.WellbeingCheckInHeld]: strictObject({
    officerId,
    heldOn: date,
    heldBy: officerId,
    outcome: { enum: [...WELLBEING_OUTCOMES] },
  }),
  [T.CaseReviewHeld]: strictObject({
    officerId,
    caseId: uuid,
    reviewerId: officerId,
    findings: { enum: [...REVIEW_FINDINGS] },
    actionsRaised: { type: 'integer', minimum: 0 },
    reviewedAt: instant,
  }),
  [T.LessonLearnedRecorded]: strictObject({
    officerId,
    lessonId: uuid,
    caseId: uuid,
    category: { enum: [...LESSON_CATEGORIES] },
    shareNationally: { type: 'boolean' },
    recordedAt: instant,
  }),
  [T.ModelVersionPublished]: strictObject({
    version,
    catalogueVersion: version,
    rules: strictObject({
      victimUpdateDeadline: strictObject({ standardWorkingDays: workingDays, enhancedWorkingDays: workingDays }),
      preChargeBail: strictObject({
        initialPeriodMonths: months,
        inspectorLimitMonths: months,
        superintendentLimitMonths: months,
      }),
    }),
    publishedAt: instant,
  }),
  [T.ModelVersionSuperseded]: strictObject({ version, supersededBy: version, supersededAt: instant }),
  [T.ModelVersionAdopted]: strictObject({ force: { enum: [...FORCE_CODES] }, version, adoptedAt: instant }),
} as const;

const officer = 'AS-4471';
const reviewedCase = '3f0c6a0e-8a3b-4f65-9d7e-1b2c3d4e5f60';
type LearningEventType = keyof typeof learningEventSchemas;
const entry = (type: LearningEventType, summary: string, example: object, personalFields: string[] = []): CatalogueEntry =>
  ({ type, context: 'learning', summary, schema: learningEventSchemas[type], personalFields, example });

/** The learning context's event catalogue entries. */
export const LEARNING_EVENTS: readonly CatalogueEntry[] = [
  entry(T.AccreditationEnrolled, 'An officer enrolled on a specialist accreditation programme (e.g. SSAIDP, PIP level 2).', {
    officerId: officer, programme: 'ssaidp', enrolledAt: '2026-09-01T09:00:00Z',
  }),
  entry(T.AccreditationAchieved, 'An officer achieved the accreditation of a programme they were enrolled on.', {
    officerId: officer, programme: 'ssaidp', achievedAt: '2027-03-12T15:30:00Z',
  }),
  entry(T.AccreditationLapsed, 'An accreditation the officer held lapsed (expired, revoked or left the specialist role).', {
    officerId: officer, programme: 'pip-2', reason: 'expired', lapsedAt: '2028-03-12T00:00:00Z',
  }),
  entry(T.TrainingCompleted, 'An officer completed a training course, with the hours it counts for.', {
    officerId: officer, courseCode: 'RASSO-NOM-101', hours: 7.5, completedAt: '2026-10-14T16:00:00Z',
  }),
  entry(T.CaseloadRecorded, "An officer's open case count on a date, and whether it exceeded the force's threshold.", {
    officerId: officer, asOf: '2026-11-30', openCases: 14, threshold: 12, thresholdExceeded: true,
  }),
  entry(
    T.WellbeingCheckInHeld,
    'A wellbeing check-in was held with an officer; only its outcome category is recorded, never notes.',
    { officerId: officer, heldOn: '2026-12-02', heldBy: 'AS-SUP1', outcome: 'workload-adjusted' },
    // An outcome such as a referral to occupational health is health data about the officer: sensitive processing.
    ['/outcome'],
  ),
  entry(T.CaseReviewHeld, "A supervisor reviewed an officer's case; the reviewer is never the officer in the case.", {
    officerId: officer, caseId: reviewedCase, reviewerId: 'AS-SUP1',
    findings: 'improvement-needed', actionsRaised: 3, reviewedAt: '2026-12-09T11:00:00Z',
  }),
  entry(T.LessonLearnedRecorded, 'A lesson learned from a case review, under its pillar, shareable nationally or not.', {
    officerId: officer, lessonId: '9b2d7c1e-4f3a-4e8b-a6d5-0c1f2e3d4b5a', caseId: reviewedCase,
    category: 'victim-engagement', shareNationally: true, recordedAt: '2026-12-09T12:00:00Z',
  }),
  // The national stream `operating-model`: national events, on the national topic.
  {
    ...entry(T.ModelVersionPublished, 'The national team published a version of the operating model: catalogue and rules.', {
      version: '2026.1',
      catalogueVersion: '2026.1',
      rules: {
        victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
        preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
      },
      publishedAt: '2026-07-01T09:00:00Z',
    }),
    scope: NATIONAL,
  },
  {
    ...entry(T.ModelVersionSuperseded, 'The national team superseded a version by a later one; forces can no longer adopt it.', {
      version: '2026.1', supersededBy: '2027.1', supersededAt: '2027-04-01T09:00:00Z',
    }),
    scope: NATIONAL,
  },
  entry(T.ModelVersionAdopted, 'A force adopted a published version of the model; it is in force there from then on.', {
    force: 'wiltshire', version: '2026.1', adoptedAt: '2026-09-01T08:00:00Z',
  }),
];
