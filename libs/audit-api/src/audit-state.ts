import type { KeyObject } from 'node:crypto';
import { Controller, Get, HttpCode, Inject, Injectable, Post, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import pg from 'pg';
import { ACCESS_LOG, EVENT_LOG, latestCheckpoint, verifyLog, type SealedLog, type TamperFinding, type VerifyLogResult } from '#audit';
import { tolerateDisconnects } from '#event-store';
import {
  Allow,
  BACKBONE_CONFIG,
  CLOCK,
  collectedGauge,
  problem,
  ROLES,
  sharedCounter,
  sharedGauge,
  type BackboneConfig,
  type Clock,
} from '#platform';
import { AUDIT_PUBLIC_KEY } from './checkpoints.controller.js';

/** Where each log's seal stands: what the console's audit page and the seal-age alert read. */
export interface LogSealState {
  readonly log: SealedLog['name'];
  /** Last sealed position ('0': nothing sealed yet). */
  readonly sealedThrough: string;
  readonly lastCheckpoint: { readonly position: string; readonly signedAt: string; readonly keyId: string } | null;
}

/** One log's verification: the chain recomputed from its records and checked against seals and signed checkpoints. */
export interface LogVerification {
  readonly log: SealedLog['name'];
  readonly intact: boolean;
  readonly verifiedRecords: number;
  readonly verifiedCheckpoints: number;
  readonly sealedThrough: string;
  readonly unsealedRecords: number;
  readonly undecodableRecords: number;
  readonly finding: TamperFinding | null;
}

export interface AuditVerification {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly intact: boolean;
  readonly logs: readonly LogVerification[];
}

/**
 * The audit state of both logs and a verification on demand (issue 16: the console's "verify now"; issue 15: the seal
 * age and verify-failure metrics the alert rules read). A verification streams each log in one read-only snapshot
 * (constant memory, ADR 0009); one runs at a time per process, a request arriving meanwhile gets the running one's
 * answer rather than a second scan of the whole log.
 */
@Injectable()
export class AuditVerifier implements OnModuleDestroy {
  private readonly pool: pg.Pool;
  private running?: Promise<AuditVerification>;
  private readonly failures = sharedCounter('nom_audit_verify_failures_total', 'Verifications of a sealed log that found it not intact.', [
    'log',
  ]);
  private readonly lastVerified = sharedGauge(
    'nom_audit_last_verify_timestamp_seconds',
    'When a sealed log was last verified, and whether intact.',
    ['log', 'intact'],
  );

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(AUDIT_PUBLIC_KEY) private readonly publicKey: KeyObject,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
    tolerateDisconnects(this.pool);
    // The seal-age alert (deploy/prometheus/alerts.yml, NomSealAge): read at scrape time, one indexed row per log.
    collectedGauge(
      'nom_sealer_last_seal_timestamp_seconds',
      'When the newest checkpoint of a sealed log was signed (Unix seconds).',
      ['log'],
      async (set) => {
        // Not sealed here (no seal tables): no sample, rather than a scrape that fails for every other metric.
        for (const state of await this.state().catch(() => [])) {
          if (state.lastCheckpoint) set({ log: state.log }, Date.parse(state.lastCheckpoint.signedAt) / 1000);
        }
      },
    );
  }

  private logs(): { log: SealedLog; schema: string }[] {
    return [
      { log: EVENT_LOG, schema: this.config.eventStoreSchema },
      { log: ACCESS_LOG, schema: this.config.auditSchema },
    ];
  }

  async state(): Promise<LogSealState[]> {
    return Promise.all(
      this.logs().map(async ({ log, schema }) => {
        const last = await latestCheckpoint(this.pool, schema, log).catch(notSealed);
        const { rows } = await this.pool.query<{ position: string | null }>(
          `SELECT max(position)::text AS position FROM ${schema}.log_seals`,
        );
        return {
          log: log.name,
          sealedThrough: rows[0]?.position ?? '0',
          lastCheckpoint: last ? { position: last.position, signedAt: last.signedAt, keyId: last.keyId } : null,
        };
      }),
    );
  }

  verifyNow(): Promise<AuditVerification> {
    this.running ??= this.verify().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async verify(): Promise<AuditVerification> {
    const startedAt = this.clock.now().toISOString();
    const logs: LogVerification[] = [];
    for (const { log, schema } of this.logs()) {
      const result = await verifyLog({ connectionString: this.config.databaseUrl!, schema, log, publicKey: this.publicKey }).catch(
        notSealed,
      );
      logs.push(verificationOf(result));
      if (!result.intact) this.failures.inc({ log: log.name });
    }
    const finishedAt = this.clock.now();
    this.lastVerified.reset();
    for (const l of logs) this.lastVerified.set({ log: l.log, intact: String(l.intact) }, finishedAt.getTime() / 1000);
    return { startedAt, finishedAt: finishedAt.toISOString(), intact: logs.every((l) => l.intact), logs };
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.pool.end();
  }
}

/** A log with no seal tables (no sealer ever ran on this database): a 503 that says so, not a 500. */
function notSealed(error: unknown): never {
  if ((error as { code?: string }).code === '42P01') {
    throw problem(503, 'unavailable', 'The logs are not sealed here', { detail: 'No sealer has run on this database (ADR 0009).' });
  }
  throw error;
}

function verificationOf(result: VerifyLogResult): LogVerification {
  return {
    log: result.log,
    intact: result.intact,
    verifiedRecords: result.verifiedRecords,
    verifiedCheckpoints: result.verifiedCheckpoints,
    sealedThrough: result.sealedThrough,
    unsealedRecords: result.unsealedRecords,
    undecodableRecords: result.undecodableRecords,
    finding: result.finding ?? null,
  };
}

/**
 * `GET /national/audit/state`: where each log's seal stands (every authenticated caller, like the checkpoints, so a
 * force can check the national operator). `POST /national/audit/verifications`: verify both logs now, for the
 * national team (a scan of the whole log: not for every caller; like every national action, never a force's caller,
 * whatever its role). Anyone else verifies with the published key and `nom audit verify`.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('national/audit')
export class AuditStateController {
  constructor(private readonly verifier: AuditVerifier) {}

  @Get('state')
  @Allow(...ROLES)
  @ApiOkResponse({ description: 'Per log: the last sealed position and the newest signed checkpoint.' })
  async state(): Promise<{ logs: LogSealState[] }> {
    return { logs: await this.verifier.state() };
  }

  @Post('verifications')
  @HttpCode(200)
  @Allow('national-team')
  @ApiOkResponse({ description: 'Both logs verified now: intact or the first finding, with the records and checkpoints checked.' })
  verify(): Promise<AuditVerification> {
    return this.verifier.verifyNow();
  }
}
