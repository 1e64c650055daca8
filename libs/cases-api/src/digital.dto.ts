import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, Matches, MaxLength, MinLength } from 'class-validator';
import {
  AGE_BANDS,
  DOMESTIC_ABUSE_FLAGS,
  RELATIONSHIPS_TO_SUSPECT,
  THIRD_PARTY_OUTCOMES,
  type AgeBand,
  type DomesticAbuseFlag,
  type RelationshipToSuspect,
  type ThirdPartyOutcome,
} from '#contracts';
import type { ExtractionNotice, ThirdPartyNecessity } from '#cases-domain';
import { OptionalField } from '#platform';

/** Why a third-party request may be made (PCSC Act 2022 s44A(3)-(4)): each statement true, and the reason. */
export class ThirdPartyNecessityDto {
  @ApiProperty({ description: 'The material is relevant to a reasonable line of enquiry (s44A(3)(b)): true.' })
  @IsBoolean()
  reasonableLineOfEnquiry!: boolean;

  @ApiProperty({ description: 'The request is necessary and proportionate (s44A(3)(c)): true.' })
  @IsBoolean()
  necessaryAndProportionate!: boolean;

  @ApiPropertyOptional({ description: 'Counselling requests: likely to have substantial probative value (s44A(4)); then true.' })
  @OptionalField()
  @IsBoolean()
  substantialProbativeValue?: boolean;

  @ApiProperty({ description: 'Personal free text: the reason for the request.' })
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class ThirdPartyOutcomeDto {
  @ApiProperty({ enum: THIRD_PARTY_OUTCOMES, description: "The holder's answer." })
  @IsIn(THIRD_PARTY_OUTCOMES)
  outcome!: ThirdPartyOutcome;
}

/** The problem profile's facts: personal data, only ever aggregated (GET /forces/{force}/problem-profile). */
export class RecordProblemProfileDto {
  @ApiProperty({ format: 'date', description: 'Day of the offence (the first day, for offending over a period); not after the report.' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'offenceDate must be a date (YYYY-MM-DD)' })
  offenceDate!: string;

  @ApiProperty({ enum: RELATIONSHIPS_TO_SUSPECT })
  @IsIn(RELATIONSHIPS_TO_SUSPECT)
  relationshipToSuspect!: RelationshipToSuspect;

  @ApiProperty({ enum: DOMESTIC_ABUSE_FLAGS, description: 'Domestic Abuse Act 2021 s1; must agree with the relationship and ages.' })
  @IsIn(DOMESTIC_ABUSE_FLAGS)
  domesticAbuse!: DomesticAbuseFlag;

  @ApiProperty({ enum: AGE_BANDS, description: "The victim's age at the offence, as a band (never a date of birth)." })
  @IsIn(AGE_BANDS)
  victimAgeBand!: AgeBand;

  @ApiProperty({ enum: AGE_BANDS, description: "The suspect's age at the offence, as a band." })
  @IsIn(AGE_BANDS)
  suspectAgeBand!: AgeBand;
}

/** The notice of a request body, field by field (nothing else of the body reaches the command). */
export function extractionNoticeOf(notice: ExtractionNotice): ExtractionNotice {
  const { whatIsSought, why, retention, deletion, mayRefuse, refusalDoesNotEndInvestigation } = notice;
  return {
    whatIsSought,
    why,
    ...(retention === undefined ? {} : { retention }),
    ...(deletion === undefined ? {} : { deletion }),
    ...(mayRefuse === undefined ? {} : { mayRefuse }),
    ...(refusalDoesNotEndInvestigation === undefined ? {} : { refusalDoesNotEndInvestigation }),
  };
}

/** The necessity of a request body, field by field. */
export function necessityOf(necessity: ThirdPartyNecessity): ThirdPartyNecessity {
  const { reasonableLineOfEnquiry, necessaryAndProportionate, substantialProbativeValue, reason } = necessity;
  return {
    reasonableLineOfEnquiry,
    necessaryAndProportionate,
    ...(substantialProbativeValue === undefined ? {} : { substantialProbativeValue }),
    reason,
  };
}
