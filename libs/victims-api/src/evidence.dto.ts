import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsInstant, OptionalField } from '#platform';
import {
  FORENSIC_CONSENTS,
  SARC_KINDS,
  SPECIAL_MEASURES,
  SPECIAL_MEASURES_ELIGIBILITY,
  type ForensicConsent,
  type SarcKind,
  type SpecialMeasure,
  type SpecialMeasuresEligibility,
} from '#contracts';

/*
 * The victim's evidence (docs/evidence-and-court.md). The victim, the case, the acting officer and the time a command
 * is recorded (the server clock) never come from a body; ids of an interview, examination or application are the
 * caller's (a retry with the same id is refused, 409), and are answered in the victim's view.
 */

const RECORDING_REFERENCE = "Reference of the recording in the force's evidence store; the recording never enters an event.";

export class PlanAbeInterviewDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen interview id; one is made when absent.' })
  @OptionalField()
  @IsUUID()
  interviewId?: string;

  @ApiProperty({ format: 'date-time', description: 'When the video-recorded interview is to take place.' })
  @IsInstant()
  plannedFor!: string;

  @ApiProperty({ description: 'A registered intermediary is to assist (YJCEA 1999 s29).' })
  @IsBoolean()
  withIntermediary!: boolean;
}

export class RecordAbeInterviewDto {
  @ApiProperty({ format: 'uuid', description: 'The planned interview.' })
  @IsUUID()
  interviewId!: string;

  @ApiProperty({ example: 'AS-VRI-2026-004417', description: RECORDING_REFERENCE, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  recordingReference!: string;
}

/** Personal: which SARC, and its kind, reveal a sexual-offence examination. */
export class SarcDto {
  @ApiProperty({ example: 'The Bridge SARC, Bristol', description: 'Personal.', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SARC_KINDS, description: 'Personal.' })
  @IsIn(SARC_KINDS)
  serviceKind!: SarcKind;
}

export class ReferForForensicExaminationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen examination id; one is made when absent.' })
  @OptionalField()
  @IsUUID()
  examinationId?: string;

  @ApiProperty({ type: SarcDto, description: 'Personal. The SARC the victim is referred to.' })
  @IsObject()
  @ValidateNested()
  @Type(() => SarcDto)
  sarc!: SarcDto;
}

export class RecordForensicExaminationDto {
  @ApiProperty({ format: 'uuid', description: 'The referral.' })
  @IsUUID()
  examinationId!: string;

  @ApiProperty({ enum: FORENSIC_CONSENTS, isArray: true, description: 'What the victim consented to; always the examination itself.' })
  @IsArray()
  @ArrayMaxSize(FORENSIC_CONSENTS.length)
  @IsIn(FORENSIC_CONSENTS, { each: true })
  consentedTo!: ForensicConsent[];

  @ApiProperty({ format: 'date-time', description: 'When the consent was recorded: before the examination.' })
  @IsInstant()
  consentRecordedAt!: string;
}

export class DeclineForensicExaminationDto {
  @ApiProperty({ format: 'uuid', description: 'The referral the victim declined.' })
  @IsUUID()
  examinationId!: string;
}

export class ApplyForSpecialMeasuresDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen application id; one is made when absent.' })
  @OptionalField()
  @IsUUID()
  applicationId?: string;

  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true, description: 'At least one measure (YJCEA 1999 ss23-30).' })
  @IsArray()
  @ArrayMaxSize(SPECIAL_MEASURES.length)
  @IsIn(SPECIAL_MEASURES, { each: true })
  measures!: SpecialMeasure[];

  @ApiPropertyOptional({
    enum: SPECIAL_MEASURES_ELIGIBILITY,
    isArray: true,
    description: 'Grounds beyond s17(4), which every complainant of a sexual offence has.',
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(SPECIAL_MEASURES_ELIGIBILITY.length)
  @IsIn(SPECIAL_MEASURES_ELIGIBILITY, { each: true })
  grounds?: SpecialMeasuresEligibility[];
}

export class RecordSpecialMeasuresDecisionDto {
  @ApiProperty({ format: 'uuid', description: 'The application the court decided.' })
  @IsUUID()
  applicationId!: string;

  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true, description: 'Measures directed (s19).' })
  @IsArray()
  @ArrayMaxSize(SPECIAL_MEASURES.length)
  @IsIn(SPECIAL_MEASURES, { each: true })
  granted!: SpecialMeasure[];

  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true, description: 'Measures refused; with `granted`, every measure applied for once.' })
  @IsArray()
  @ArrayMaxSize(SPECIAL_MEASURES.length)
  @IsIn(SPECIAL_MEASURES, { each: true })
  refused!: SpecialMeasure[];
}

export class OrderPreRecordedCrossExaminationDto {
  @ApiProperty({ format: 'date', description: 'The day of the s28 hearing; a later order moves it.' })
  @IsCalendarDate()
  hearingDate!: string;
}

export class RecordPreRecordedCrossExaminationDto {
  @ApiProperty({ example: 'CC-S28-2027-000912', description: RECORDING_REFERENCE, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  recordingReference!: string;
}

export class AbeInterviewView {
  @ApiProperty({ format: 'uuid' }) interviewId!: string;
  @ApiProperty({ enum: ['planned', 'conducted'] }) status!: string;
}

export class ForensicExaminationView {
  @ApiProperty({ format: 'uuid' }) examinationId!: string;
  @ApiProperty({ enum: ['referred', 'examined', 'declined'] }) status!: string;
}

export class SpecialMeasuresApplicationView {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true }) measures!: string[];
  @ApiProperty() decided!: boolean;
}

/** The victim's evidence as the stream knows it (no content: ids and where each stands). */
export class EvidenceView {
  @ApiProperty({ type: [AbeInterviewView] }) abeInterviews!: AbeInterviewView[];
  @ApiProperty({ type: [ForensicExaminationView] }) forensicExaminations!: ForensicExaminationView[];
  @ApiProperty({ type: [SpecialMeasuresApplicationView] }) specialMeasuresApplications!: SpecialMeasuresApplicationView[];
  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true, description: 'Directed by the court.' }) grantedMeasures!: string[];
  @ApiProperty({ enum: ['none', 'ordered', 'recorded'] }) preRecordedCrossExamination!: string;
  @ApiProperty({ description: 'A suspect of the case is known to have been charged (a court application is possible).' })
  chargeKnown!: boolean;
}
