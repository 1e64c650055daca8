import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsObject, Matches, Max, Min, ValidateNested } from 'class-validator';

/** `<year>.<release>`, e.g. `2026.1` (the catalogue's pattern). */
export const MODEL_VERSION = /^[0-9]{4}\.[0-9]{1,3}$/;
const versionMessage = (field: string) => `${field} must be a version of the form <year>.<release>, e.g. 2026.1`;

export class AdoptModelVersionDto {
  @ApiProperty({ example: '2026.1', description: 'A published, not superseded version of the operating model.' })
  @Matches(MODEL_VERSION, { message: versionMessage('version') })
  version!: string;
}

export class VictimUpdateDeadlineDto {
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) standardWorkingDays!: number;
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) enhancedWorkingDays!: number;
}

export class PreChargeBailDto {
  @ApiProperty({ minimum: 1, maximum: 120 }) @IsInt() @Min(1) @Max(120) initialPeriodMonths!: number;
  @ApiProperty({ minimum: 1, maximum: 120 }) @IsInt() @Min(1) @Max(120) inspectorLimitMonths!: number;
  @ApiProperty({ minimum: 1, maximum: 120 }) @IsInt() @Min(1) @Max(120) superintendentLimitMonths!: number;
}

export class ModelRulesDto {
  @ApiProperty({ type: VictimUpdateDeadlineDto })
  @IsDefined()
  // An array would pass @ValidateNested (it validates each item) and reach the decider as the object.
  @IsObject()
  @ValidateNested()
  @Type(() => VictimUpdateDeadlineDto)
  victimUpdateDeadline!: VictimUpdateDeadlineDto;

  @ApiProperty({ type: PreChargeBailDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PreChargeBailDto)
  preChargeBail!: PreChargeBailDto;
}

export class PublishModelVersionDto {
  @ApiProperty({ example: '2026.1' })
  @Matches(MODEL_VERSION, { message: versionMessage('version') })
  version!: string;

  @ApiProperty({ example: '2026.1', description: 'The event catalogue version this model version goes with.' })
  @Matches(MODEL_VERSION, { message: versionMessage('catalogueVersion') })
  catalogueVersion!: string;

  @ApiProperty({ type: ModelRulesDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ModelRulesDto)
  rules!: ModelRulesDto;
}

export class SupersedeModelVersionDto {
  @ApiProperty({ example: '2027.1', description: 'A later published version that replaces this one.' })
  @Matches(MODEL_VERSION, { message: versionMessage('supersededBy') })
  supersededBy!: string;
}

export class AdoptionView {
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty({ format: 'date-time' }) adoptedAt!: string;
}

/** The operating model in one force: the version in force and every adoption before it. */
export class ForceModelView {
  @ApiProperty({ example: 'wiltshire' }) force!: string;
  @ApiProperty({ example: '2026.1', description: 'The version in force: the last adopted.' }) versionInForce!: string;
  @ApiProperty({ type: [AdoptionView] }) adoptions!: AdoptionView[];
  @ApiProperty({ description: 'Stream revision; send it back as If-Match to guard against lost updates.' }) revision!: string;
}

export class PublishedVersionView {
  @ApiProperty({ example: '2026.1' }) version!: string;
  @ApiProperty({ example: '2026.1' }) catalogueVersion!: string;
  @ApiProperty({ type: ModelRulesDto }) rules!: ModelRulesDto;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
  @ApiPropertyOptional({ example: '2027.1' }) supersededBy?: string;
}

/** The national model: every published version, in publication (and version) order. */
export class NationalModelView {
  @ApiProperty({ type: [PublishedVersionView] }) versions!: PublishedVersionView[];
  @ApiProperty({ description: 'Stream revision of the national stream.' }) revision!: string;
}
