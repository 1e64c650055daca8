import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OptionalField } from '#platform';
import { ThirdPartyNecessityDto } from './digital.dto.js';
import {
  DEVICE_DATA_CATEGORIES,
  DEVICE_OWNER_ROLES,
  THIRD_PARTY_HOLDERS,
  type DeviceDataCategory,
  type DeviceOwnerRole,
  type ThirdPartyHolder,
} from '#contracts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

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

  @ApiPropertyOptional({ description: "How long the data will be kept (s39(3)(c)); required unless the suspect's device." })
  @OptionalField()
  @MinLength(1)
  @MaxLength(2000)
  retention?: string;

  @ApiPropertyOptional({ description: "How the data will be deleted (s39(3)(c)); required unless the suspect's device." })
  @OptionalField()
  @MinLength(1)
  @MaxLength(2000)
  deletion?: string;

  @ApiPropertyOptional({ description: "The notice says the user may refuse (s39(3)(d)): true; absent for a suspect's device." })
  @OptionalField()
  @IsBoolean()
  mayRefuse?: boolean;

  @ApiPropertyOptional({ description: 'The notice says a refusal alone does not end the investigation (s39(3)(e)): true.' })
  @OptionalField()
  @IsBoolean()
  refusalDoesNotEndInvestigation?: boolean;
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

  @ApiProperty({ type: ThirdPartyNecessityDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ThirdPartyNecessityDto)
  necessity!: ThirdPartyNecessityDto;

  @ApiProperty({ format: 'date-time', description: 'When the victim was told of the request: on or before it (s44B(3)).' })
  @IsISO8601({ strict: true })
  victimToldAt!: string;
}
