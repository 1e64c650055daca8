import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

const MEASURES_DESCRIPTION =
  'Measures by period (docs/kpis.md, "Measures by period"): counts `{ value }`, rates `{ numerator, denominator, rate }`, medians `{ n, days }`, each `{ suppressed }` when hidden.';

/** A force's measures in a period. */
export class MeasuresView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: '`{ from, to, label }`: UK dates, both included.' })
  period!: Record<string, unknown>;
  @ApiProperty({ description: 'adult-rape, child-rape, other-sexual-offences or all.' }) offences!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: MEASURES_DESCRIPTION }) offencesRecorded!: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: 'object', additionalProperties: true }) outcomesAssigned!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) chargeRate!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) evidentialDifficulties!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) referralsForChargingDecision!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) cpsCharges!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) medianDays!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) openCaseload!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) releases!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) bailLapses!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) withdrawals!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) repeatSuspectFlags!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) disruptionTactics!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) disruptionDecisions!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) orderBreaches!: Record<string, unknown>;
}

/** The national measures: each force's and England and Wales', suppressed across periods. */
export class NationalMeasuresView {
  @ApiProperty({ type: 'object', additionalProperties: true }) period!: Record<string, unknown>;
  @ApiProperty() offences!: string;
  @ApiProperty({ description: 'NOM_KPI_SUPPRESSION_THRESHOLD: counts below it are suppressed.' }) threshold!: number;
  @ApiProperty({ type: [String], description: 'The quarters the period is made of, each suppressed on its own.' }) quarters!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: MEASURES_DESCRIPTION }) national!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'By force code (absent from england-and-wales).' })
  forces!: Record<string, unknown>;
}
