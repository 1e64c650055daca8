import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '#platform';
import {
  COURT_KINDS,
  DISCONTINUANCE_GROUNDS,
  DISCONTINUANCE_METHODS,
  OFFENCE_GROUPS,
  VERDICTS,
  type CourtKind,
  type DiscontinuanceGround,
  type DiscontinuanceMethod,
  type OffenceGroup,
  type Verdict,
} from '#contracts';

/*
 * A charged suspect's case at court (docs/evidence-and-court.md). The suspect, case, acting officer and the time a
 * command is recorded (the server clock) never come from a body. A court is named (an institution, not a person).
 */

const COURT = { example: 'Bristol Crown Court', description: 'The court (an institution).', maxLength: 200 } as const;

export class RecordFirstHearingDto {
  @ApiProperty({ ...COURT, example: "Bristol Magistrates' Court" })
  @IsString()
  @Length(1, 200)
  court!: string;

  @ApiProperty({ enum: COURT_KINDS })
  @IsIn(COURT_KINDS)
  courtKind!: CourtKind;

  @ApiProperty({ description: 'Sent to the Crown Court for trial (Crime and Disorder Act 1998 s51; a rape always is).' })
  @IsBoolean()
  sentToCrownCourt!: boolean;
}

export class ListTrialDto {
  @ApiProperty(COURT)
  @IsString()
  @Length(1, 200)
  court!: string;

  @ApiProperty({ format: 'date', description: 'The first day of the trial; a later listing moves it, or lists a retrial.' })
  @IsCalendarDate()
  trialDate!: string;
}

export class StartTrialDto {
  @ApiProperty(COURT)
  @IsString()
  @Length(1, 200)
  court!: string;
}

export class CountResultDto {
  @ApiProperty({ minimum: 1, maximum: 99, description: 'The count of the indictment (the charge’s number).' })
  @IsInt()
  @Min(1)
  @Max(99)
  count!: number;

  @ApiProperty({ enum: OFFENCE_GROUPS })
  @IsIn(OFFENCE_GROUPS)
  offence!: OffenceGroup;

  @ApiProperty({ enum: VERDICTS, description: 'A guilty plea needs no trial; any other result needs a trial that has started.' })
  @IsIn(VERDICTS)
  verdict!: Verdict;
}

export class RecordVerdictDto {
  @ApiProperty({ type: [CountResultDto], description: 'Every count this trial (or plea hearing) decided, each once.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(99)
  @ValidateNested({ each: true })
  @Type(() => CountResultDto)
  results!: CountResultDto[];
}

export class DiscontinueProsecutionDto {
  @ApiProperty({
    enum: DISCONTINUANCE_METHODS,
    description: "POA 1985 s23 (magistrates' court), s23A (sent to the Crown Court), or no evidence offered (Crown Court).",
  })
  @IsIn(DISCONTINUANCE_METHODS)
  method!: DiscontinuanceMethod;

  @ApiProperty({ enum: DISCONTINUANCE_GROUNDS, description: 'The Full Code Test stage no longer met (Code for Crown Prosecutors).' })
  @IsIn(DISCONTINUANCE_GROUNDS)
  grounds!: DiscontinuanceGround;
}

export class CountVerdictView {
  @ApiProperty() count!: number;
  @ApiProperty({ enum: VERDICTS }) verdict!: string;
}

export class CourtView {
  @ApiProperty({ enum: ['first-hearing-held', 'trial-listed', 'trial-started', 'awaiting-retrial', 'concluded', 'discontinued'] })
  stage!: string;
  @ApiProperty() sentToCrownCourt!: boolean;
  @ApiProperty({ type: [CountVerdictView], description: 'Counts with a final result.' }) decidedCounts!: CountVerdictView[];
}
