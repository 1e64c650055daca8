import { Body, Controller, Post } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, Matches } from 'class-validator';
import { FORCE_CODES, NATIONAL, type ForceCode, type National } from '#contracts';
import { LocalTokenIssuer, Public, ROLES, type Role } from '#platform';

export class DevTokenRequest {
  @ApiProperty({
    enum: [...FORCE_CODES, NATIONAL],
    example: 'avon-somerset',
    description: "A force code, or 'national' with the national-team role.",
  })
  @IsIn([...FORCE_CODES, NATIONAL])
  force!: ForceCode | National;

  @ApiProperty({ example: 'AS-4471' })
  @Matches(/^[A-Za-z0-9-]{2,32}$/)
  officerId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['officer', 'supervisor'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

/**
 * The quick start's local token issuer, so that it runs with no outside identity provider. Mounted only by the quick
 * start, only when no identity provider is configured, and only on its embedded database (or with NOM_DEV_TOKENS=true,
 * warned at every start); the server then listens on 127.0.0.1 alone (quick-start-mode.ts, ADR 0020).
 */
@ApiTags('quick start')
@Controller('dev/tokens')
export class DevTokensController {
  constructor(private readonly issuer: LocalTokenIssuer) {}

  @Post()
  @Public()
  async issue(@Body() body: DevTokenRequest): Promise<{ token: string; expiresIn: number }> {
    return { token: await this.issuer.issue({ force: body.force, officerId: body.officerId, roles: body.roles }), expiresIn: 3600 };
  }
}
