import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ACCESS_LOG, EVENT_LOG, LogSealer, type AuditSigner, type SealResult } from '#audit';
import { BACKBONE_CONFIG, type BackboneConfig } from '#platform';

export const AUDIT_SEALING_OPTIONS = Symbol('AuditSealingOptions');

export interface AuditSealingOptions {
  readonly signer: AuditSigner;
  /** Pause between sealing runs; 0: no loop (tests call `sealNow`). */
  readonly intervalMs: number;
  readonly checkpointEvery?: number;
}

/**
 * The sealer (ADR 0009, ADR 0012): extends the hash chains of the event log and of the access log and signs
 * checkpoints, one run after another with a pause between. Each log has its own advisory lock, so several
 * sealer processes are safe (one seals, the others wait and then find nothing left).
 */
@Injectable()
export class AuditSealingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('sealer');
  private sealers: LogSealer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(AUDIT_SEALING_OPTIONS) private readonly options: AuditSealingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connectionString = this.config.databaseUrl;
    if (!connectionString) throw new Error('DATABASE_URL is required by the sealer');
    const common = { connectionString, signer: this.options.signer, ...(this.options.checkpointEvery ? { checkpointEvery: this.options.checkpointEvery } : {}) };
    this.sealers = [
      await LogSealer.open({ ...common, schema: this.config.eventStoreSchema, log: EVENT_LOG }),
      await LogSealer.open({ ...common, schema: this.config.auditSchema, log: ACCESS_LOG }),
    ];
    if (this.options.intervalMs > 0) this.schedule();
  }

  /** One run over both logs (serialised with the loop's runs). */
  sealNow(): Promise<SealResult[]> {
    const run = this.running.then(() => Promise.all(this.sealers.map((sealer) => sealer.seal())));
    this.running = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.sealNow()
        .then((results) => {
          const sealed = results.flatMap((r, i) => (r.sealed > 0 ? [`${this.sealers[i]!.log.name}: +${r.sealed} sealed through ${r.position}`] : []));
          if (sealed.length > 0) this.logger.log(sealed.join('; '));
        })
        .catch((error: unknown) => this.logger.warn(`sealing failed, retrying next round: ${String(error)}`))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    for (const sealer of this.sealers) await sealer.close();
  }
}
