import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsUUID, Matches, ValidateNested } from 'class-validator';
import { OptionalField } from '#platform';
import {
  ADMINISTRATIVE_FINALISATION_REASONS,
  CHARGING_DECISIONS,
  CHARGING_TESTS,
  CPS_ACTION_CATEGORIES,
  CPS_REFERENCE_PATTERN,
  MAX_CPS_ACTIONS,
  THRESHOLD_TEST_CONDITIONS,
  type AdministrativeFinalisationReason,
  type ChargingDecision,
  type ChargingTest,
  type CpsActionCategory,
  type ThresholdTestCondition,
} from '#contracts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CPS_REFERENCE = new RegExp(CPS_REFERENCE_PATTERN);
const CPS_REFERENCE_MESSAGE = 'cpsReference must be 4-32 upper-case letters, digits, "/" or "-"';

/** One action of a CPS action plan: an id, a category (no free text) and the day it is due. */
export class CpsActionDto {
  @ApiProperty({ format: 'uuid', description: 'Names the action, for its completion.' })
  @IsUUID()
  actionId!: string;

  @ApiProperty({ enum: CPS_ACTION_CATEGORIES })
  @IsIn(CPS_ACTION_CATEGORIES)
  category!: CpsActionCategory;

  @ApiProperty({ format: 'date', description: 'The day (UK) by which the police are to complete it: after the day the plan is set.' })
  @Matches(DATE, { message: 'dueBy must be a date (YYYY-MM-DD)' })
  dueBy!: string;
}

export class RequestEarlyAdviceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen request id; one is minted when absent.' })
  @OptionalField()
  @IsUUID()
  adviceRequestId?: string;
}

export class GiveEarlyAdviceDto {
  @ApiPropertyOptional({ example: '52AS0421126', description: 'The CPS case reference (URN), when the CPS has opened one.' })
  @OptionalField()
  @Matches(CPS_REFERENCE, { message: CPS_REFERENCE_MESSAGE })
  cpsReference?: string;

  @ApiProperty({ type: [CpsActionDto], description: 'The action plan; may be empty.' })
  @IsArray()
  @ArrayMaxSize(MAX_CPS_ACTIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CpsActionDto)
  actionPlan!: CpsActionDto[];
}

export class SubmitChargingFileDto {
  @ApiProperty({ example: '52AS0421126', description: 'The CPS case reference (URN).' })
  @Matches(CPS_REFERENCE, { message: CPS_REFERENCE_MESSAGE })
  cpsReference!: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The suspects of the case the file asks a decision on; every suspect linked to the case when absent.',
  })
  @OptionalField()
  @IsArray()
  @ArrayMinSize(1)
  @IsUUID('all', { each: true })
  suspectIds?: string[];
}

/** The case-level decision on a whole file (kept for existing callers; the test applied is not recorded). */
export class RecordChargingDecisionDto {
  @ApiProperty({ example: '52AS0421126', description: 'The CPS case reference (URN).' })
  @Matches(CPS_REFERENCE, { message: CPS_REFERENCE_MESSAGE })
  cpsReference!: string;

  @ApiProperty({ enum: CHARGING_DECISIONS })
  @IsIn(CHARGING_DECISIONS)
  decision!: ChargingDecision;
}

export class RecordSuspectChargingDecisionDto extends RecordChargingDecisionDto {
  @ApiProperty({ enum: CHARGING_TESTS, description: 'The test applied: the Full Code Test, or the Threshold Test (to charge only).' })
  @IsIn(CHARGING_TESTS)
  test!: ChargingTest;

  @ApiPropertyOptional({ enum: THRESHOLD_TEST_CONDITIONS, isArray: true, description: 'With the Threshold Test: every condition, met.' })
  @OptionalField()
  @IsArray()
  @IsIn(THRESHOLD_TEST_CONDITIONS, { each: true })
  thresholdConditions?: ThresholdTestCondition[];

  @ApiPropertyOptional({ format: 'date', description: 'With the Threshold Test: the day by which the Full Code Test is applied.' })
  @OptionalField()
  @Matches(DATE, { message: 'fullCodeReviewBy must be a date (YYYY-MM-DD)' })
  fullCodeReviewBy?: string;

  @ApiPropertyOptional({
    type: [CpsActionDto],
    description: 'Required with further investigation requested; allowed with a Threshold Test charge.',
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(MAX_CPS_ACTIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CpsActionDto)
  actionPlan?: CpsActionDto[];
}

export class FinaliseChargingFileDto {
  @ApiProperty({ example: '52AS0421126', description: 'The CPS case reference (URN) of the file finalised.' })
  @Matches(CPS_REFERENCE, { message: CPS_REFERENCE_MESSAGE })
  cpsReference!: string;

  @ApiProperty({ enum: ADMINISTRATIVE_FINALISATION_REASONS })
  @IsIn(ADMINISTRATIVE_FINALISATION_REASONS)
  reason!: AdministrativeFinalisationReason;
}

/** The action plan as the command takes it (only the declared fields). */
export function actionPlanOf(plan: readonly CpsActionDto[]): { actionId: string; category: CpsActionCategory; dueBy: string }[] {
  return plan.map(({ actionId, category, dueBy }) => ({ actionId, category, dueBy }));
}

export class CpsActionView {
  @ApiProperty({ format: 'uuid' }) actionId!: string;
  @ApiProperty({ enum: CPS_ACTION_CATEGORIES }) category!: string;
  @ApiProperty({ format: 'date' }) dueBy!: string;
  @ApiProperty({ enum: ['open', 'overdue', 'completed'], description: 'overdue: still open after its due day.' }) status!: string;
}

export class ChargingFileView {
  @ApiProperty({ format: 'uuid' }) suspectId!: string;
  @ApiProperty() cpsReference!: string;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ enum: ['awaiting-decision', 'awaiting-police'] }) status!: string;
}
