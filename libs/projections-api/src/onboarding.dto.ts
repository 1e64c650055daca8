import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PROJECTION_ISOLATIONS, type ProjectionIsolation } from '#contracts';
import { OptionalField } from '#platform';

export class OnboardForceDto {
  @ApiPropertyOptional({ enum: PROJECTION_ISOLATIONS, description: "Where the force's read models live; default NOM_PROJECTION_ISOLATION" })
  @OptionalField()
  @IsIn([...PROJECTION_ISOLATIONS])
  isolation?: ProjectionIsolation;
}

export class ForceOnboardingView {
  @ApiProperty() force!: string;
  @ApiProperty({ enum: PROJECTION_ISOLATIONS }) isolation!: string;
  @ApiProperty() schema!: string;
  @ApiProperty({ nullable: true, type: String }) database!: string | null;
  @ApiProperty() onboardedAt!: string;
  @ApiProperty() onboardedBy!: string;
}
