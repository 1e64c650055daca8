import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  CANCELLATION_REASONS,
  LINE_OF_ENQUIRY_CATEGORIES,
  OFFENCE_CODES,
  OFFENCE_GROUPS,
  CPS_REFERENCE_PATTERN,
  HOME_OFFICE_OUTCOME_CODES,
  NOT_INVESTIGATED_REASONS,
  REOPENING_REASONS,
  type CancellationReason,
  type NotInvestigatedReason,
  type LineOfEnquiryCategory,
  type OffenceGroup,
  type ReopeningReason,
  RIGHT_TO_REVIEW_RESULTS,
  RIGHT_TO_REVIEW_SCHEMES,
  type RightToReviewResult,
  type RightToReviewScheme,
} from '#contracts';
import { OptionalField, References } from '#platform';
import { ChargingFileView, CpsActionView } from './cps.dto.js';

const REFERENCE = /^[A-Z0-9][A-Z0-9/-]{2,31}$/;
const OFFICER = /^[A-Za-z0-9-]{2,32}$/;

/** Force, officer, classification and ids of events never come from a body: they come from the identity. */
export class ReceiveReportDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen case id; makes a retried request safe.' })
  @OptionalField()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ example: 'AS/N100/26/00871', description: 'The N100 incident reference.' })
  @Matches(REFERENCE, { message: 'n100Reference must be 3-32 upper-case letters, digits, "/" or "-"' })
  n100Reference!: string;

  @ApiProperty({ format: 'date-time', description: 'When the offence was reported to police.' })
  @IsISO8601({ strict: true })
  reportedAt!: string;
}

/** Recording the crime of an N100 report already on the case. */
export class RecordCrimeFromReportDto {
  @ApiProperty({ example: 'AS/26/004211', description: "The force's crime reference number." })
  @Matches(REFERENCE, { message: 'crimeReference must be 3-32 upper-case letters, digits, "/" or "-"' })
  crimeReference!: string;

  @ApiProperty({ enum: OFFENCE_GROUPS })
  @IsIn(OFFENCE_GROUPS)
  offence!: OffenceGroup;

  @ApiPropertyOptional({
    enum: OFFENCE_CODES,
    description: 'Home Office classification code; optional when the group determines it (rape groups).',
  })
  @OptionalField()
  @IsIn(OFFENCE_CODES)
  offenceCode?: string;
}

/** Recording a crime directly, on a new case. */
export class RecordCrimeDto extends RecordCrimeFromReportDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen case id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ format: 'date-time', description: 'When the offence was reported to police.' })
  @IsISO8601({ strict: true })
  reportedAt!: string;
}

export class CancelRecordingDto {
  @ApiProperty({ enum: CANCELLATION_REASONS, description: 'Crime Recording Rules cancellation criterion.' })
  @IsIn(CANCELLATION_REASONS)
  reason!: CancellationReason;
}

export class AssignOfficerDto {
  @ApiProperty({ example: 'AS-4471', description: 'Officer id (collar/warrant reference), not a name.' })
  @Matches(OFFICER, { message: 'officerId must be 2-32 letters, digits or "-"' })
  officerId!: string;
}
/** Kept for callers of the first release. */
export class AssignInvestigatorDto extends AssignOfficerDto {}

export class LineOfEnquiryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  lineId!: string;

  @ApiProperty({ enum: LINE_OF_ENQUIRY_CATEGORIES })
  @IsIn(LINE_OF_ENQUIRY_CATEGORIES)
  category!: LineOfEnquiryCategory;
}

export class SetInvestigationPlanDto {
  @ApiProperty({ type: [LineOfEnquiryDto], description: 'The whole plan; at least one suspect-focused line. No free text.' })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineOfEnquiryDto)
  linesOfEnquiry!: LineOfEnquiryDto[];
}

export class LinkSuspectDto {
  @ApiProperty({ format: 'uuid', description: "The suspect's id in the suspects context (a suspect of the caller's force)." })
  @IsUUID()
  @References('suspect')
  suspectId!: string;
}

export class RecordOutcomeDto {
  @ApiProperty({
    enum: HOME_OFFICE_OUTCOME_CODES,
    description:
      'Home Office outcome type (1-22). Outcome 19 (NFIB filed) is refused as never a RASSO outcome; 6-8 are not open to rape; ' +
      'every outcome but 14, 18 and 20 needs a named suspect; 1 needs a suspect of the case charged (docs/outcome-rules.md).',
  })
  @IsInt()
  @IsIn(HOME_OFFICE_OUTCOME_CODES, { message: 'outcomeCode must be a Home Office outcome type (1-22)' })
  outcomeCode!: number;

  @ApiPropertyOptional({
    pattern: CPS_REFERENCE_PATTERN,
    description: "The CPS's agreement to a caution (outcome 2 or 3) for an indictable-only offence, by CPS reference; only then.",
  })
  @OptionalField()
  @Matches(new RegExp(CPS_REFERENCE_PATTERN), { message: 'cpsAgreementReference must be a CPS reference' })
  cpsAgreementReference?: string;
}

export class RequestRightToReviewDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen review id; makes a retried request safe.' })
  @OptionalField()
  @IsUUID()
  reviewId?: string;

  @ApiProperty({ format: 'uuid', description: 'The victim of the case who asks for the review.' })
  @IsUUID()
  @References('victim')
  victimId!: string;

  @ApiProperty({
    enum: RIGHT_TO_REVIEW_SCHEMES,
    description: 'police: a police decision not to charge (an outcome other than 1 and 9); cps: a CPS decision not to charge.',
  })
  @IsIn(RIGHT_TO_REVIEW_SCHEMES)
  scheme!: RightToReviewScheme;
}

export class DecideRightToReviewDto {
  @ApiProperty({ enum: RIGHT_TO_REVIEW_RESULTS, description: 'Overturned: the case may then be reopened for the review.' })
  @IsIn(RIGHT_TO_REVIEW_RESULTS)
  result!: RightToReviewResult;
}

export class DecideNotToInvestigateDto {
  @ApiProperty({ enum: NOT_INVESTIGATED_REASONS })
  @IsIn(NOT_INVESTIGATED_REASONS)
  reason!: NotInvestigatedReason;

  @ApiProperty({ description: 'Personal free text: the reasons as they are to be explained to the victim.', maxLength: 2000 })
  @MinLength(1)
  @MaxLength(2000)
  explanation!: string;
}

export class ReopenCaseDto {
  @ApiProperty({ enum: REOPENING_REASONS })
  @IsIn(REOPENING_REASONS)
  reason!: ReopeningReason;
}

export class LineOfEnquiryView {
  @ApiProperty({ format: 'uuid' }) lineId!: string;
  @ApiProperty({ enum: LINE_OF_ENQUIRY_CATEGORIES }) category!: string;
  @ApiProperty({ enum: ['open', 'completed'] }) status!: string;
}

export class ExtractionView {
  @ApiProperty({ format: 'uuid' }) extractionId!: string;
  @ApiProperty({ enum: ['victim', 'witness', 'suspect'] }) deviceOwner!: string;
  @ApiProperty({ enum: ['requested', 'agreed', 'refused', 'withdrawn', 'completed', 'returned'] }) status!: string;
  @ApiPropertyOptional({ description: 'Whole days the device was held, once returned (from the agreement; a seized device: the request).' })
  retentionDays?: number;
}

export class CaseView {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['reported', 'recorded', 'under-investigation', 'closed', 'cancelled'] }) status!: string;
  @ApiPropertyOptional() n100Reference?: string;
  @ApiPropertyOptional() crimeReference?: string;
  @ApiPropertyOptional() investigatorId?: string;
  @ApiPropertyOptional() supervisorId?: string;
  @ApiProperty({ type: [LineOfEnquiryView] }) linesOfEnquiry!: LineOfEnquiryView[];
  @ApiProperty({ type: [String] }) suspectIds!: string[];
  @ApiProperty({ type: [ExtractionView] }) extractions!: ExtractionView[];
  @ApiPropertyOptional({ description: 'CPS reference of a charging file awaiting a decision.' }) pendingChargingFile?: string;
  @ApiPropertyOptional() chargingDecision?: string;
  @ApiProperty({ type: [CpsActionView], description: 'The actions of the CPS action plans.' }) cpsActions!: CpsActionView[];
  @ApiProperty({ type: [ChargingFileView], description: 'Open charging files, by suspect.' }) chargingFiles!: ChargingFileView[];
  @ApiPropertyOptional() outcomeCode?: number;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}
