import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsObject, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { OptionalField } from '#platform';
import {
  CHARGING_DECISIONS,
  CPS_REFERENCE_PATTERN,
  DEVICE_DATA_CATEGORIES,
  DEVICE_OWNER_ROLES,
  THIRD_PARTY_HOLDERS,
  type ChargingDecision,
  type DeviceDataCategory,
  type DeviceOwnerRole,
  type ThirdPartyHolder,
} from '#contracts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CPS_REFERENCE = new RegExp(CPS_REFERENCE_PATTERN);

export class ExtractionScopeDto {
  @ApiProperty({ format: 'date', description: 'First day of the data sought.' })
  @Matches(DATE, { message: 'scope.from must be a date (YYYY-MM-DD)' })
  from!: string;

  @ApiProperty({ format: 'date', description: 'Last day of the data sought.' })
  @Matches(DATE, { message: 'scope.to must be a date (YYYY-MM-DD)' })
  to!: string;

  @ApiProperty({ enum: DEVICE_DATA_CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(DEVICE_DATA_CATEGORIES, { each: true })
  dataCategories!: DeviceDataCategory[];
}

/** The written notice to the device user: personal free text, declared so in the catalogue. */
export class ExtractionNoticeDto {
  @ApiProperty({ description: 'What is sought from the device, as written to its user.' })
  @MinLength(1)
  @MaxLength(2000)
  whatIsSought!: string;

  @ApiProperty({ description: 'Why it is sought.' })
  @MinLength(1)
  @MaxLength(2000)
  why!: string;
}

export class RequestDeviceExtractionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen extraction id; one is minted when absent.' })
  @OptionalField()
  @IsUUID()
  extractionId?: string;

  @ApiProperty({ enum: DEVICE_OWNER_ROLES })
  @IsIn(DEVICE_OWNER_ROLES)
  deviceOwner!: DeviceOwnerRole;

  @ApiProperty({ type: ExtractionScopeDto })
  // An array would pass @ValidateNested (it validates each item) and reach the decider as the object.
  @IsObject()
  @ValidateNested()
  @Type(() => ExtractionScopeDto)
  scope!: ExtractionScopeDto;

  @ApiProperty({ type: ExtractionNoticeDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ExtractionNoticeDto)
  notice!: ExtractionNoticeDto;
}

export class ExtractionAgreementDto {
  @ApiProperty({ description: 'Whether the device user agreed; a refusal never closes the case.' })
  @IsBoolean()
  agreed!: boolean;
}

export class RequestThirdPartyMaterialDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen request id; one is minted when absent.' })
  @OptionalField()
  @IsUUID()
  requestId?: string;

  @ApiProperty({ enum: THIRD_PARTY_HOLDERS })
  @IsIn(THIRD_PARTY_HOLDERS)
  holder!: ThirdPartyHolder;
}

export class SubmitChargingFileDto {
  @ApiProperty({ example: '52AS0421126', description: 'The CPS case reference (URN).' })
  @Matches(CPS_REFERENCE, { message: 'cpsReference must be 4-32 upper-case letters, digits, "/" or "-"' })
  cpsReference!: string;
}

export class RecordChargingDecisionDto extends SubmitChargingFileDto {
  @ApiProperty({ enum: CHARGING_DECISIONS })
  @IsIn(CHARGING_DECISIONS)
  decision!: ChargingDecision;
}
