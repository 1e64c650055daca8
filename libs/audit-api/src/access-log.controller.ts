import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { SUBJECT_TYPES, type AccessLog, type AccessLogPage, type SubjectType } from '#audit';
import { ACCESS_LOG, Allow, CurrentIdentity, forceOf, problem, Section62, type Identity } from '#platform';

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'Only entries by this officer (never your own: 403).', example: 'AS-4471' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{2,32}$/)
  actor?: string;

  @ApiPropertyOptional({
    description: 'Only entries naming this subject id (a case, suspect, victim or officer id; never your own officer id: 403).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{2,100}$/)
  subject?: string;

  @ApiPropertyOptional({ enum: SUBJECT_TYPES })
  @IsOptional()
  @IsIn(SUBJECT_TYPES)
  subjectType?: SubjectType;

  @ApiPropertyOptional({ description: 'From this time (inclusive), ISO-8601.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Until this time (exclusive), ISO-8601.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Paging: the `next` of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AccessLogPageView {
  @ApiProperty({ description: 'Entries in log order; never one where you are the actor.', type: 'array', items: { type: 'object' } })
  entries!: unknown[];
  @ApiPropertyOptional({ description: 'Pass as `after` for the next page.' })
  next?: string;
}

/**
 * Reads the access log. Nobody audits their own access: entries where the caller is the actor are never
 * returned, and a filter naming the caller's own officer id is refused (403). Every read is itself logged
 * (consult, purpose audit) by the platform's Section 62 interceptor.
 */
async function readAccessLog(
  log: AccessLog,
  identity: Identity,
  query: AccessLogQueryDto,
  scopeForce: string | undefined,
): Promise<AccessLogPage> {
  if (query.actor === identity.officerId || query.subject === identity.officerId) {
    throw problem(403, 'own-access', 'Nobody can audit their own access', { detail: 'ask another auditor to review entries about you' });
  }
  if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
    throw problem(422, 'invalid-window', 'The time window is empty', { errors: [{ field: '/to', reason: 'must be after from' }] });
  }
  return log.query({
    ...(scopeForce !== undefined ? { scopeForce } : {}),
    excludingActor: identity.officerId,
    ...(query.actor !== undefined ? { actor: query.actor } : {}),
    ...(query.subject !== undefined ? { subjectId: query.subject } : {}),
    ...(query.subjectType !== undefined ? { subjectType: query.subjectType } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(query.after !== undefined ? { after: query.after } : {}),
    limit: query.limit ?? 100,
  });
}

const PURPOSE_HEADER = { name: 'X-NOM-Purpose', required: false, description: 'The purpose of this processing (default: audit).' };

@ApiTags('audit')
@ApiBearerAuth()
@ApiHeader(PURPOSE_HEADER)
@Controller('forces/:force/access-log')
@Section62({ action: 'consult', purpose: 'audit' })
export class ForceAccessLogController {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  /** A force's auditor: entries about the force's own records (including other forces' attempts on them). */
  @Get()
  @Allow('national-auditor')
  @ApiParam({ name: 'force', description: "The caller's own force code" })
  @ApiOkResponse({ type: AccessLogPageView })
  list(@CurrentIdentity() identity: Identity, @Query() query: AccessLogQueryDto): Promise<AccessLogPage> {
    return readAccessLog(this.log, identity, query, forceOf(identity));
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@ApiHeader(PURPOSE_HEADER)
@Controller('national/access-log')
@Section62({ action: 'consult', purpose: 'audit' })
export class NationalAccessLogController {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  /** The national team: every force's entries (cross-force misuse detection). */
  @Get()
  @Allow('national-team')
  @ApiOkResponse({ type: AccessLogPageView })
  list(@CurrentIdentity() identity: Identity, @Query() query: AccessLogQueryDto): Promise<AccessLogPage> {
    return readAccessLog(this.log, identity, query, undefined);
  }
}
