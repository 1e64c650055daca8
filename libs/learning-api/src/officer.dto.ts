import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsPositive, IsUUID, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '#platform';
import {
  ACCREDITATION_PROGRAMMES,
  LAPSE_REASONS,
  LESSON_CATEGORIES,
  REVIEW_FINDINGS,
  WELLBEING_OUTCOMES,
  type AccreditationProgramme,
  type LapseReason,
  type LessonCategory,
  type ReviewFindings,
  type WellbeingOutcome,
} from '#contracts';
import { References } from '#platform';

/** A calendar date (YYYY-MM-DD), as the catalogue's `format: date` expects: no time part. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Force, officer in the path, acting officer (reviewer, check-in holder) and times never come from a body:
 * the path names the officer, the identity names who acts, the server stamps the time.
 */
export class EnrolOnAccreditationDto {
  @ApiProperty({ enum: ACCREDITATION_PROGRAMMES })
  @IsIn(ACCREDITATION_PROGRAMMES)
  programme!: AccreditationProgramme;
}

export class LapseAccreditationDto {
  @ApiProperty({ enum: LAPSE_REASONS })
  @IsIn(LAPSE_REASONS)
  reason!: LapseReason;
}

export class RecordTrainingDto {
  @ApiProperty({ example: 'RASSO-NOM-101', description: 'The course code: 2-32 upper-case letters, digits or "-".' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'courseCode must be 2-32 upper-case letters, digits or "-"' })
  courseCode!: string;

  @ApiProperty({ example: 7.5, description: 'Hours the course counts for (more than 0, at most 500).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(500)
  hours!: number;
}

export class RecordCaseloadDto {
  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'Calendar date of the count.' })
  @Matches(DATE, { message: 'asOf must be a calendar date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  asOf!: string;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  openCases!: number;

  @ApiProperty({ minimum: 1, description: "The force's caseload threshold at that date (each force sets its own)." })
  @IsInt()
  @Min(1)
  threshold!: number;
}

export class HoldWellbeingCheckInDto {
  @ApiProperty({ format: 'date', example: '2026-12-02' })
  @Matches(DATE, { message: 'heldOn must be a calendar date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  heldOn!: string;

  @ApiProperty({ enum: WELLBEING_OUTCOMES, description: 'A category only, never notes: this is sensitive personal data.' })
  @IsIn(WELLBEING_OUTCOMES)
  outcome!: WellbeingOutcome;
}

export class HoldCaseReviewDto {
  @ApiProperty({
    format: 'uuid',
    description: "The reviewed case (of the caller's force), in which the officer in the path is the investigator.",
  })
  @IsUUID()
  @References('case')
  caseId!: string;

  @ApiProperty({ enum: REVIEW_FINDINGS })
  @IsIn(REVIEW_FINDINGS)
  findings!: ReviewFindings;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  actionsRaised!: number;
}

export class RecordLessonLearnedDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen lesson id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  lessonId?: string;

  @ApiProperty({ format: 'uuid', description: 'The reviewed case the lesson came from (it must have had a review).' })
  @IsUUID()
  @References('case')
  caseId!: string;

  @ApiProperty({ enum: LESSON_CATEGORIES })
  @IsIn(LESSON_CATEGORIES)
  category!: LessonCategory;

  @ApiProperty()
  @IsBoolean()
  shareNationally!: boolean;
}

export class CaseloadView {
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty() openCases!: number;
  @ApiProperty() thresholdExceeded!: boolean;
}

/**
 * One officer's development record. It holds no wellbeing check-in: the state the decider folds keeps none
 * (only the event stream does), so this view, readable by supervisors and administrators, cannot expose one.
 */
export class OfficerDevelopmentView {
  @ApiProperty({ example: 'AS-4471' }) officerId!: string;
  @ApiProperty({
    description: 'Status per programme: enrolled, accredited or lapsed.',
    example: { ssaidp: 'accredited' },
    additionalProperties: { enum: ['enrolled', 'accredited', 'lapsed'] },
  })
  accreditations!: Partial<Record<AccreditationProgramme, 'enrolled' | 'accredited' | 'lapsed'>>;
  @ApiProperty() trainingHours!: number;
  @ApiPropertyOptional({ type: CaseloadView }) latestCaseload?: CaseloadView;
  @ApiProperty({ type: [String], description: 'Ids of the cases of this officer that had a supervisory review.' }) reviewedCases!: string[];
  @ApiProperty({ type: [String], description: 'Ids of the lessons learned recorded from those reviews.' }) lessons!: string[];
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}
