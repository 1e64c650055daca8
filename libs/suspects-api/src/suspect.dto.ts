import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsObject, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import {
  CIVIL_ORDERS,
  CPS_REFERENCE_PATTERN,
  CRO_NUMBER_PATTERN,
  DISRUPTION_TACTICS,
  HISTORY_CHECK_SYSTEMS,
  INTERVIEW_RESPONSES,
  INTERVIEW_SETTINGS,
  PNC_ID_PATTERN,
  BAIL_CANCELLATION_REASONS,
  POLICE_RANKS,
  type BailCancellationReason,
  type CivilOrder,
  type DisruptionTactic,
  type HistoryCheckSystem,
  type InterviewResponse,
  type InterviewSetting,
  type PoliceRank,
} from '#contracts';
import { IsCalendarDate, IsInstant, OptionalField, References } from '#platform';
import { CourtView } from './court.dto.js';

/*
 * Force, acting officer, case and suspect ids of a route, and the time a command is recorded, never come from
 * a body. A body states only the facts of the command, and a time only where the officer knows when something
 * happened elsewhere (an arrest, an interview, a court's decision).
 */

/**
 * The officer authorising a step the law reserves to a rank is the caller: the officer id comes from the token.
 * Tokens do not carry the officer's rank yet, so the caller states it here and the domain checks it against
 * the step (sergeant, inspector, superintendent). Once the identity provider issues a rank claim, this goes.
 */
/** Bail conditions, the same rule wherever they are set: at most 50, distinct, each 1-500 characters. */
const BailConditions = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: [String], maxItems: 50, description }),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, 500, { each: true }),
  );

export class AuthorisingRankDto {
  @ApiProperty({ enum: POLICE_RANKS, description: "The caller's rank (tokens do not carry it yet)." })
  @IsIn(POLICE_RANKS)
  rank!: PoliceRank;
}

export class IdentifySuspectDto {
  @ApiProperty({ format: 'uuid', description: "The case the suspect is identified on (a case of the caller's force)." })
  @IsUUID()
  @References('case')
  caseId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen suspect id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  suspectId?: string;

  @ApiProperty({ description: 'Personal. The name the suspect is known by.', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Personal.' })
  @OptionalField()
  @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ example: '12/345678A', description: 'Personal. Police National Computer ID.' })
  @OptionalField()
  @Matches(new RegExp(PNC_ID_PATTERN), { message: 'pncId must be a PNC ID (e.g. 12/345678A)' })
  pncId?: string;

  @ApiPropertyOptional({ example: '123456/12A', description: 'Personal. Criminal Records Office number.' })
  @OptionalField()
  @Matches(new RegExp(CRO_NUMBER_PATTERN), { message: 'croNumber must be a CRO number (e.g. 123456/12A)' })
  croNumber?: string;
}

export class RecordHistoryChecksDto {
  @ApiProperty({ enum: HISTORY_CHECK_SYSTEMS, isArray: true, description: 'The systems checked, at least one.' })
  @IsArray()
  @IsIn(HISTORY_CHECK_SYSTEMS, { each: true })
  systems!: HistoryCheckSystem[];

  @ApiProperty({ description: 'Personal free text: what the checks found.', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  resultSummary!: string;
}

export class ArrestSuspectDto {
  @ApiProperty({ format: 'date-time', description: 'When the suspect was arrested (with an offset).' })
  @IsInstant()
  arrestedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'PACE s41 relevant time: when the custody clock started (not before the arrest).' })
  @IsInstant()
  custodyClockStartedAt!: string;
}

export class ArrangeVoluntaryInterviewDto {
  @ApiProperty({ format: 'date-time', description: 'When the voluntary interview is to take place.' })
  @IsInstant()
  scheduledFor!: string;
}

export class RecordInterviewDto {
  @ApiProperty({ enum: INTERVIEW_SETTINGS })
  @IsIn(INTERVIEW_SETTINGS)
  setting!: InterviewSetting;

  @ApiProperty({ enum: INTERVIEW_RESPONSES })
  @IsIn(INTERVIEW_RESPONSES)
  response!: InterviewResponse;

  @ApiProperty({ format: 'date-time', description: 'When the interview took place.' })
  @IsInstant()
  interviewedAt!: string;
}

export class GrantPreChargeBailDto {
  @ApiProperty({ type: AuthorisingRankDto, description: 'The authorising officer is the caller; only the rank is stated.' })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthorisingRankDto)
  authorisedBy!: AuthorisingRankDto;

  @ApiPropertyOptional({ format: 'date', description: 'Last day of bail; defaults to the longest period the law allows at this step.' })
  @OptionalField()
  @IsCalendarDate()
  endsOn?: string;

  @BailConditions('Personal: bail conditions often name people and places.')
  conditions!: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: "When the victim's views on the conditions were sought; absent when they were not.",
  })
  @OptionalField()
  @IsInstant()
  victimViewsSoughtAt?: string;
}

export class ExtendBailDto {
  @ApiProperty({ type: AuthorisingRankDto, description: 'To 6 months: an inspector or above; to 9: a superintendent or above.' })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthorisingRankDto)
  authorisedBy!: AuthorisingRankDto;

  @ApiProperty({ format: 'date', description: 'The new last day of bail.' })
  @IsCalendarDate()
  endsOn!: string;
}

export class CancelBailDto {
  @ApiProperty({ type: AuthorisingRankDto, description: 'A sergeant (the custody officer) or above.' })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthorisingRankDto)
  authorisedBy!: AuthorisingRankDto;

  @ApiProperty({ enum: BAIL_CANCELLATION_REASONS, description: 'PACE s50A: bail no longer necessary and proportionate, or other.' })
  @IsIn(BAIL_CANCELLATION_REASONS)
  grounds!: BailCancellationReason;
}

export class ReviewReleaseUnderInvestigationDto {
  @ApiProperty({ type: AuthorisingRankDto, description: 'A sergeant or above.' })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthorisingRankDto)
  reviewedBy!: AuthorisingRankDto;

  @ApiProperty({ format: 'date', description: 'When the next review is due: after today, within 90 days.' })
  @IsCalendarDate()
  nextReviewBy!: string;
}

export class RecordCourtBailExtensionDto {
  @ApiProperty({ example: "Bristol Magistrates' Court", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  court!: string;

  @ApiProperty({ format: 'date', description: 'The new last day of bail.' })
  @IsCalendarDate()
  endsOn!: string;

  @ApiProperty({ format: 'date-time', description: 'When the court extended bail.' })
  @IsInstant()
  extendedAt!: string;
}

export class ChangeBailConditionsDto {
  @BailConditions('Personal. The full new list; empty removes every condition.')
  conditions!: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: "When the victim's views on the conditions were sought; absent when they were not.",
  })
  @OptionalField()
  @IsInstant()
  victimViewsSoughtAt?: string;
}

export class ReleaseNoFurtherActionDto {
  @ApiProperty({ enum: ['police', 'cps'], description: "Whose decision it was: the victim's right to review differs." })
  @IsIn(['police', 'cps'])
  decidedBy!: 'police' | 'cps';
}

export class ChargeSuspectDto {
  @ApiProperty({ example: '52AS0421126', description: 'The CPS charging decision reference.' })
  @Matches(new RegExp(CPS_REFERENCE_PATTERN), {
    message: 'cpsDecisionReference must be a CPS decision reference (4-32 upper-case letters, digits, "/" or "-")',
  })
  cpsDecisionReference!: string;
}

export class RaiseRepeatSuspectFlagDto {
  @ApiProperty({ description: 'Personal free text: why the suspect is a repeat suspect.', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Other cases (any force) the suspect appears in; at least one.' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  linkedCaseIds!: string[];
}

export class ClearRepeatSuspectFlagDto {
  @ApiProperty({ description: 'Personal free text: why the flag is cleared.', maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class ReviewRepeatSuspectCheckDto {
  @ApiProperty({
    description: 'Personal free text: the grounds for a repeat-suspect check before any arrest, interview or charge.',
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class RecordDisruptionTacticDto {
  @ApiProperty({ enum: DISRUPTION_TACTICS })
  @IsIn(DISRUPTION_TACTICS)
  tactic!: DisruptionTactic;

  @ApiPropertyOptional({ description: 'Personal free text.', maxLength: 2000 })
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  detail?: string;

  @ApiPropertyOptional({ type: AuthorisingRankDto, description: 'The caller as authoriser: a DAPN needs an inspector or above.' })
  @OptionalField()
  @IsObject()
  @ValidateNested()
  @Type(() => AuthorisingRankDto)
  authorisedBy?: AuthorisingRankDto;
}

export class ApplyForCivilOrderDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Client-chosen application id; one is made when absent (see civilOrders in the response).',
  })
  @OptionalField()
  @IsUUID()
  orderId?: string;

  @ApiProperty({ enum: CIVIL_ORDERS })
  @IsIn(CIVIL_ORDERS)
  order!: CivilOrder;

  @ApiProperty({ example: "Bristol Magistrates' Court", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  court!: string;
}

export class RecordCivilOrderGrantedDto {
  @ApiPropertyOptional({ format: 'date', description: 'Last day of the order; absent: until further order.' })
  @OptionalField()
  @IsCalendarDate()
  expiresOn?: string;

  @ApiProperty({ format: 'date-time', description: 'When the court granted the order.' })
  @IsInstant()
  grantedAt!: string;
}

export class RecordCivilOrderRefusedDto {
  @ApiProperty({ format: 'date-time', description: 'When the court refused the order.' })
  @IsInstant()
  refusedAt!: string;
}

export class BailView {
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiProperty({ format: 'date' }) endsOn!: string;
  @ApiProperty({ type: [String], description: 'Personal.' }) conditions!: string[];
}

export class CivilOrderView {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: CIVIL_ORDERS }) order!: string;
  @ApiProperty({ enum: ['pending', 'granted', 'refused'] }) decision!: string;
}

export class FlagReviewView {
  @ApiProperty({ format: 'uuid' }) reviewId!: string;
  @ApiProperty({ description: 'Whether a disruption decision has ended the review.' }) decided!: boolean;
}

export class SuspectView {
  @ApiProperty({ format: 'uuid' }) suspectId!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['identified', 'in-custody', 'on-bail', 'released-under-investigation', 'no-further-action', 'charged'] })
  status!: string;
  @ApiPropertyOptional({ format: 'date-time' }) lastArrestedAt?: string;
  @ApiPropertyOptional({ type: BailView }) bail?: BailView;
  @ApiPropertyOptional({ format: 'date-time', description: 'When an arranged voluntary interview is due.' }) voluntaryInterviewFor?: string;
  @ApiProperty() repeatSuspect!: boolean;
  @ApiProperty({ type: [CivilOrderView] }) civilOrders!: CivilOrderView[];
  @ApiPropertyOptional({ type: FlagReviewView, description: "The repeat-suspect flag's latest review." }) flagReview?: FlagReviewView;
  @ApiPropertyOptional({ type: CourtView, description: 'After the charge, from the first hearing: the case at court.' }) court?: CourtView;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}
