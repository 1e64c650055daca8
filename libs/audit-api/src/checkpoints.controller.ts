import type { KeyObject } from 'node:crypto';
import { Controller, Get, Inject, Injectable, Query, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import pg from 'pg';
import { ACCESS_LOG, EVENT_LOG, exportPublicKeyPem, keyIdOf, listCheckpoints, type PublishedCheckpoint } from '#audit';
import { Allow, BACKBONE_CONFIG, ROLES, type BackboneConfig } from '#platform';
import { tolerateDisconnects } from '#event-store';

export const AUDIT_PUBLIC_KEY = Symbol('AuditPublicKey');

const LOGS = ['event-log', 'access-log'] as const;

export class CheckpointsQueryDto {
  @ApiProperty({ enum: LOGS })
  @IsIn(LOGS)
  log!: (typeof LOGS)[number];

  @ApiPropertyOptional({ description: 'Only checkpoints after this position (paging).' })
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class PublicKeyView {
  @ApiProperty({ example: 'Ed25519' }) algorithm!: string;
  @ApiProperty({ description: 'First 16 hex digits of SHA-256 over the SPKI DER; named by every checkpoint.' }) keyId!: string;
  @ApiProperty({ description: 'SPKI PEM' }) publicKeyPem!: string;
}

/** Reads the seal tables of both logs (read-only; its own small pool). */
@Injectable()
export class CheckpointReader implements OnModuleDestroy {
  private readonly pool: pg.Pool;

  constructor(@Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool);
  }

  list(log: (typeof LOGS)[number], after: bigint, limit: number): Promise<PublishedCheckpoint[]> {
    return log === 'event-log'
      ? listCheckpoints(this.pool, this.config.eventStoreSchema, EVENT_LOG, after, limit)
      : listCheckpoints(this.pool, this.config.auditSchema, ACCESS_LOG, after, limit);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The signed checkpoints of the event log and the access log, published read-only to every authenticated caller,
 * so that forces can keep their own copies and hold the national operator to account (ADR 0009, ADR 0012).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('national/audit')
export class CheckpointsController {
  constructor(
    private readonly reader: CheckpointReader,
    @Inject(AUDIT_PUBLIC_KEY) private readonly publicKey: KeyObject,
  ) {}

  @Get('checkpoints')
  @Allow(...ROLES)
  @ApiOkResponse({ description: 'Signed checkpoints, oldest first: {log, type, position, hash, signedAt, keyId, signature} (hex).' })
  async checkpoints(@Query() query: CheckpointsQueryDto): Promise<{ checkpoints: PublishedCheckpoint[] }> {
    return { checkpoints: await this.reader.list(query.log, BigInt(query.after ?? '0'), query.limit ?? 100) };
  }

  @Get('public-key')
  @Allow(...ROLES)
  @ApiOkResponse({ type: PublicKeyView })
  key(): PublicKeyView {
    return { algorithm: 'Ed25519', keyId: keyIdOf(this.publicKey), publicKeyPem: exportPublicKeyPem(this.publicKey) };
  }
}
