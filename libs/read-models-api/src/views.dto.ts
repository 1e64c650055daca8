import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INVESTIGATION_STATUSES, SUSPECT_STATUSES } from '#projections';

/** OpenAPI shapes of the read models' answers (ids, codes, statuses and instants only). */
export class InvestigationView {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: INVESTIGATION_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true }) crimeReference!: string | null;
  @ApiPropertyOptional({ nullable: true }) n100Reference!: string | null;
  @ApiPropertyOptional({ nullable: true }) offence!: string | null;
  @ApiPropertyOptional({ nullable: true }) offenceCode!: string | null;
  @ApiPropertyOptional({ nullable: true }) investigatorId!: string | null;
  @ApiPropertyOptional({ nullable: true }) supervisorId!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) reportedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) recordedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) openedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) outcomeCode!: number | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) cancelledAt!: string | null;
  @ApiProperty() reopenedCount!: number;
  @ApiProperty() suspectsLinked!: number;
  @ApiProperty({ format: 'date-time' }) lastEventAt!: string;
}

export class TimelineEntryView {
  @ApiProperty({ example: 'uk.police.nom.cases.investigation-opened.v1' }) eventType!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: 'An officer id, or system:<component>.' }) actor!: string;
}

export class InvestigationDetailView extends InvestigationView {
  @ApiProperty({ type: [TimelineEntryView], description: 'Every event of the case, its suspects and victims, oldest first.' }) timeline!: TimelineEntryView[];
}

class PageView {
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Offset of the next page; null on the last.' }) nextOffset!: number | null;
}

export class InvestigationPageView extends PageView {
  @ApiProperty({ type: [InvestigationView] }) items!: InvestigationView[];
}

export class SuspectView {
  @ApiProperty({ format: 'uuid' }) suspectId!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: SUSPECT_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) identifiedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) arrestedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) interviewedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) bailStartDate!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'Last day of the current bail period (bailed suspects).' }) bailEndsOn!: string | null;
  @ApiProperty() bailExtensions!: number;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) releasedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) chargedAt!: string | null;
  @ApiProperty() repeatFlag!: boolean;
  @ApiProperty({ format: 'date-time' }) lastEventAt!: string;
}

export class SuspectPageView extends PageView {
  @ApiProperty({ type: [SuspectView] }) items!: SuspectView[];
}

export class OfficerCaseloadView {
  @ApiProperty() officerId!: string;
  @ApiProperty({ description: 'Open cases this officer is the assigned investigator of.' }) openCases!: number;
  @ApiProperty({ description: '{ [programme]: { status: enrolled | achieved | lapsed, at } }', type: 'object', additionalProperties: true }) accreditations!: Record<string, unknown>;
  @ApiProperty() trainingsCompleted!: number;
  @ApiProperty() trainingHours!: number;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) lastTrainingAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The last caseload-recorded count.' }) recordedOpenCases!: number | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) recordedAsOf!: string | null;
  @ApiPropertyOptional({ nullable: true }) thresholdExceeded!: boolean | null;
}

export class CaseloadPageView extends PageView {
  @ApiProperty({ type: [OfficerCaseloadView] }) items!: OfficerCaseloadView[];
}

const KPI_REPORT_DESCRIPTION =
  'KPIs as defined in docs/kpis.md: cases, chargeRate, outcomeMix (by outcome code), medianDays (toReferral, toCharge, toClosure), ' +
  "victimWithdrawal (share, stages), victimsCodeTimeliness, updateDeadlinesMissed, isvaReferralRate. A rate is { numerator, denominator, rate }, a median { n, days }, a count { value }; " +
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
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/KpiReportView' }, description: 'By force code.' }) forces!: Record<string, KpiReportView>;
}
