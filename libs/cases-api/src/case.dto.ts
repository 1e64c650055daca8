import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { OFFENCE_GROUPS, OUTCOME_CODES, type OffenceGroup } from '#contracts';

/** Force, officer, classification and ids of events never come from a body: they come from the identity. */
export class RecordCrimeDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen case id; makes a retried request safe (409 on repeat).' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ example: 'AS/26/004211', description: "The force's crime reference number." })
  @Matches(/^[A-Z0-9][A-Z0-9/-]{2,31}$/, { message: 'crimeReference must be 3-32 upper-case letters, digits, "/" or "-"' })
  crimeReference!: string;

  @ApiProperty({ enum: OFFENCE_GROUPS })
  @IsIn(OFFENCE_GROUPS)
  offence!: OffenceGroup;

  @ApiProperty({ format: 'date-time', description: 'When the offence was reported to police.' })
  @IsISO8601({ strict: true })
  reportedAt!: string;
}

export class AssignInvestigatorDto {
  @ApiProperty({ example: 'AS-4471', description: 'Officer id (collar/warrant reference), not a name.' })
  @Matches(/^[A-Za-z0-9-]{2,32}$/, { message: 'officerId must be 2-32 letters, digits or "-"' })
  officerId!: string;
}

export class RecordOutcomeDto {
  @ApiProperty({ enum: OUTCOME_CODES, description: 'Home Office outcome type (1-18, 20-22; there is no 19).' })
  @IsInt()
  @IsIn(OUTCOME_CODES, { message: 'outcomeCode must be a Home Office outcome type (1-18, 20-22)' })
  outcomeCode!: number;
}

export class CaseView {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: ['recorded', 'under-investigation', 'closed'] }) status!: string;
  @ApiPropertyOptional() crimeReference?: string;
  @ApiPropertyOptional() investigatorId?: string;
  @ApiPropertyOptional() outcomeCode?: number;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}
