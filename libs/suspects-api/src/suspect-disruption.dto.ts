import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { BREACH_RESPONSES, DISRUPTION_OPTIONS, type BreachResponse, type DisruptionOption } from '#contracts';
import { IsInstant, OptionalField } from '#platform';

/** Bodies of the repeat-suspect review, the disruption decision and an order's breach (docs/disruption.md). */

export class ReviewRepeatSuspectFlagDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen review id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  reviewId?: string;

  @ApiProperty({ description: 'Personal free text: the risk the supervisor sees.', maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  summary!: string;
}

export class RecordDisruptionDecisionDto {
  @ApiProperty({
    enum: DISRUPTION_OPTIONS,
    isArray: true,
    maxItems: DISRUPTION_OPTIONS.length,
    description: 'Police actions and court orders chosen; empty for none (then a reason).',
  })
  @IsArray()
  @ArrayMaxSize(DISRUPTION_OPTIONS.length)
  @ArrayUnique()
  @IsIn(DISRUPTION_OPTIONS, { each: true })
  tactics!: DisruptionOption[];

  @ApiPropertyOptional({ description: 'Personal free text: why these tactics, or why none (required for none).', maxLength: 2000 })
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class RecordCivilOrderBreachDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen breach id; makes a retried request safe (409 on repeat).' })
  @OptionalField()
  @IsUUID()
  breachId?: string;

  @ApiProperty({ format: 'date-time', description: 'When the breach happened (the order must be in force then).' })
  @IsInstant()
  breachedAt!: string;

  @ApiProperty({ enum: BREACH_RESPONSES, description: 'The police response (breach of the order is an offence).' })
  @IsIn(BREACH_RESPONSES)
  response!: BreachResponse;

  @ApiPropertyOptional({ description: 'Personal free text.', maxLength: 2000 })
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  detail?: string;
}
