import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the KPI answers (the force read models' views derive theirs from their column declarations). */
const KPI_REPORT_DESCRIPTION =
  'KPIs as defined in docs/kpis.md: cases, chargeRate, outcomeMix (by outcome code), medianDays (toReferral, toCharge, toClosure), ' +
  'victimWithdrawal (share, stages), victimsCodeTimeliness, updateDeadlinesMissed, isvaReferralRate. A rate is { numerator, denominator, rate }, a median { n, days }, a count { value }; ' +
  'in the national view any of them may be { suppressed: primary | secondary }.';

export class KpiReportView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: KPI_REPORT_DESCRIPTION }) cases!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) chargeRate!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) outcomeMix!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) medianDays!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) victimWithdrawal!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) victimsCodeTimeliness!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) updateDeadlinesMissed!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) isvaReferralRate!: Record<string, unknown>;
}

export class NationalKpisView {
  @ApiProperty({ description: 'NOM_KPI_SUPPRESSION_THRESHOLD: counts below it are suppressed.' }) threshold!: number;
  @ApiProperty({ type: KpiReportView }) national!: KpiReportView;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/KpiReportView' }, description: 'By force code.' })
  forces!: Record<string, KpiReportView>;
}

/** England and Wales as a whole: the national row of the national table, for every force's users. */
export class EnglandAndWalesKpisView {
  @ApiProperty({ description: 'NOM_KPI_SUPPRESSION_THRESHOLD: counts below it are suppressed.' }) threshold!: number;
  @ApiProperty({ type: KpiReportView }) national!: KpiReportView;
}
