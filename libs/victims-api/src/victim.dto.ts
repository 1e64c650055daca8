import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalField } from '#platform';
import { EvidenceView } from './evidence.dto.js';
import {
  COMPLAINT_SUBJECTS,
  CONTACT_CHANNELS,
  CONTACT_TIMES,
  ENHANCED_RIGHTS_CATEGORIES,
  LETTER_CHANNELS,
  LETTER_KINDS,
  OFFENCE_GROUPS,
  SPECIAL_MEASURES,
  SUPPORT_SERVICES,
  UPDATE_SUBJECTS,
  VICTIM_NEEDS,
  VPS_FORMATS,
  WITHDRAWAL_REASONS,
  WITHDRAWAL_STAGES,
  type ComplaintSubject,
  type ContactChannel,
  type ContactTime,
  type EnhancedRightsCategory,
  type LetterChannel,
  type LetterKind,
  type OffenceGroup,
  type SpecialMeasure,
  type SupportService,
  type UpdateSubject,
  type VictimNeed,
  type VpsFormat,
  type WithdrawalReason,
  type WithdrawalStage,
} from '#contracts';

/*
 * Force, acting officer, case and victim ids, and the time a command is recorded (the server clock), never come
 * from a body. Personal data (names, contact details, free text) appear only where the event catalogue declares
 * the field personal, and are marked "Personal." here.
 */

export class MakeFirstContactDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen victim id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  victimId?: string;

  @ApiProperty({
    enum: OFFENCE_GROUPS,
    description:
      "The case's recorded offence: every sexual offence gives enhanced rights by rule, an offence against a child also as vulnerable.",
  })
  @IsIn(OFFENCE_GROUPS)
  offence!: OffenceGroup;

  @ApiProperty({ enum: CONTACT_CHANNELS, description: 'How first contact was made.' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiPropertyOptional({
    description: "The victim was under 18 when the offence was committed: enhanced rights as vulnerable, by rule (Victims' Code).",
  })
  @OptionalField()
  @IsBoolean()
  victimUnder18?: boolean;
}

export class RecordEnhancedRightsDto {
  @ApiProperty({ enum: ENHANCED_RIGHTS_CATEGORIES, isArray: true, description: 'At least one category.' })
  @IsArray()
  @ArrayMaxSize(ENHANCED_RIGHTS_CATEGORIES.length)
  @IsIn(ENHANCED_RIGHTS_CATEGORIES, { each: true })
  categories!: EnhancedRightsCategory[];
}

export class CompleteNeedsAssessmentDto {
  @ApiProperty({ enum: VICTIM_NEEDS, isArray: true, description: 'Empty: no needs identified.' })
  @IsArray()
  @ArrayMaxSize(VICTIM_NEEDS.length)
  @IsIn(VICTIM_NEEDS, { each: true })
  needs!: VictimNeed[];

  @ApiPropertyOptional({ description: 'Personal free text.', maxLength: 4000 })
  @OptionalField()
  @IsString()
  @Length(1, 4000)
  notes?: string;
}

export class ReferToIsvaDto {
  @ApiProperty({
    example: 'Avon and Somerset ISVA Service',
    description: 'The ISVA service (an organisation, not a person).',
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  isvaService!: string;
}

export class ReferToSupportServiceDto {
  @ApiProperty({ enum: SUPPORT_SERVICES })
  @IsIn(SUPPORT_SERVICES)
  service!: SupportService;

  @ApiProperty({ example: 'The Bridge SARC, Bristol', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  organisation!: string;
}

/** Safe contact details agreed with the victim: all personal. */
export class SafeContactDto {
  @ApiPropertyOptional({ description: 'Personal. The name the victim wants to be asked for.', maxLength: 200 })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: '+44 7700 900123', description: 'Personal.' })
  @OptionalField()
  @Matches(/^\+?[0-9][0-9 ()-]{5,19}$/, { message: 'phone must be a telephone number' })
  phone?: string;

  @ApiPropertyOptional({ description: 'Personal.', maxLength: 254 })
  @OptionalField()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'Personal.', maxLength: 500 })
  @OptionalField()
  @IsString()
  @Length(1, 500)
  address?: string;
}

export class AgreeContactPreferencesDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, isArray: true, description: 'Agreed channels in order of preference; at least one.' })
  @IsArray()
  @ArrayMaxSize(CONTACT_CHANNELS.length)
  @IsIn(CONTACT_CHANNELS, { each: true })
  channels!: ContactChannel[];

  @ApiProperty({ enum: CONTACT_TIMES, isArray: true })
  @IsArray()
  @ArrayMaxSize(CONTACT_TIMES.length)
  @IsIn(CONTACT_TIMES, { each: true })
  times!: ContactTime[];

  @ApiProperty({ description: 'Whether messages may be left.' })
  @IsBoolean()
  leaveMessages!: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 90,
    description: 'How often the victim agreed to be updated, in days (a recurring timer records each period with no update).',
  })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(90)
  updateEveryDays?: number;

  @ApiProperty({ type: SafeContactDto, description: 'Personal. The details each agreed channel needs.' })
  @IsObject()
  @ValidateNested()
  @Type(() => SafeContactDto)
  safeContact!: SafeContactDto;
}

export class RequestSpecialMeasuresDto {
  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true, description: 'At least one measure.' })
  @IsArray()
  @ArrayMaxSize(SPECIAL_MEASURES.length)
  @IsIn(SPECIAL_MEASURES, { each: true })
  measures!: SpecialMeasure[];
}

export class TakeVpsDto {
  @ApiProperty({ enum: VPS_FORMATS })
  @IsIn(VPS_FORMATS)
  format!: VpsFormat;

  @ApiProperty({
    example: 'AS-DOC-2027-018842',
    description: "Reference in the force's document store; the statement never enters an event.",
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  documentReference!: string;
}

export class DeclineVpsDto {
  @ApiPropertyOptional({ description: 'Personal. What the victim said, if they chose to say why.', maxLength: 2000 })
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export class GiveUpdateDto {
  @ApiProperty({ enum: UPDATE_SUBJECTS })
  @IsIn(UPDATE_SUBJECTS)
  about!: UpdateSubject;

  @ApiProperty({ enum: CONTACT_CHANNELS, description: 'Must be one the victim agreed to.' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiPropertyOptional({ format: 'uuid', description: 'The trigger event of the update duty this update answers.' })
  @OptionalField()
  @IsUUID()
  triggerEventId?: string;

  @ApiPropertyOptional({ description: 'Personal free text: what was said.', maxLength: 4000 })
  @OptionalField()
  @IsString()
  @Length(1, 4000)
  summary?: string;
}

export class SendLetterDto {
  @ApiProperty({ enum: LETTER_KINDS })
  @IsIn(LETTER_KINDS)
  letter!: LetterKind;

  @ApiProperty({ enum: LETTER_CHANNELS })
  @IsIn(LETTER_CHANNELS)
  channel!: LetterChannel;
}

export class WithdrawSupportDto {
  @ApiProperty({ enum: WITHDRAWAL_REASONS })
  @IsIn(WITHDRAWAL_REASONS)
  reason!: WithdrawalReason;

  @ApiProperty({ enum: WITHDRAWAL_STAGES })
  @IsIn(WITHDRAWAL_STAGES)
  stage!: WithdrawalStage;

  @ApiPropertyOptional({ description: "Personal. The victim's own account of why; required when the reason is other.", maxLength: 4000 })
  @OptionalField()
  @IsString()
  @Length(1, 4000)
  account?: string;
}

export class MakeComplaintDto {
  @ApiProperty({ enum: COMPLAINT_SUBJECTS })
  @IsIn(COMPLAINT_SUBJECTS)
  about!: ComplaintSubject;

  @ApiProperty({ description: "Personal. The complaint in the victim's words.", maxLength: 8000 })
  @IsString()
  @Length(1, 8000)
  account!: string;
}

export class UpdateDutyView {
  @ApiProperty({ format: 'uuid' }) triggerEventId!: string;
  @ApiProperty() trigger!: string;
  @ApiProperty({ format: 'date-time' }) dueBy!: string;
  @ApiProperty({ enum: ['open', 'met', 'closed'] }) status!: string;
  @ApiProperty() missed!: boolean;
}

export class VictimView {
  @ApiProperty({ format: 'uuid' }) victimId!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['engaged', 'withdrawn'] }) status!: string;
  @ApiProperty({ enum: ENHANCED_RIGHTS_CATEGORIES, isArray: true }) enhancedRights!: string[];
  @ApiProperty() isvaReferred!: boolean;
  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, isArray: true, description: 'Absent until preferences are agreed.' })
  agreedChannels?: string[];
  @ApiProperty({ enum: SPECIAL_MEASURES, isArray: true }) specialMeasures!: string[];
  @ApiProperty({ enum: ['none', 'offered', 'taken', 'declined'] }) vps!: string;
  @ApiProperty({ enum: LETTER_KINDS, isArray: true }) lettersSent!: string[];
  @ApiProperty({ type: [UpdateDutyView] }) updateDuties!: UpdateDutyView[];
  @ApiProperty({ type: EvidenceView, description: "The victim's evidence: interviews, examinations, special measures, s28." })
  evidence!: EvidenceView;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}
