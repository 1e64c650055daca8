import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ACCESS_LOG, EVENT_LOG, LogSealer, type AuditSigner, type SealResult } from '#audit';
import { idle, type LoopRegistry } from '#event-store';
import { BACKBONE_CONFIG, LOOPS, runSupervised, type BackboneConfig } from '#platform';

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
 * sealer processes are safe (one seals, the others wait and then find nothing left). The loop runs under
 * supervision (ADR 0021): a failed run is retried with backoff, and readiness shows the sealer waiting.
 */
@Injectable()
export class AuditSealingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('sealer');
  private sealers: LogSealer[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private readonly controller = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(AUDIT_SEALING_OPTIONS) private readonly options: AuditSealingOptions,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
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
    const signal = this.controller.signal;
    this.loop = runSupervised(
      'sealer',
      async (loop) => {
        while (!signal.aborted) {
          const results = await this.sealNow();
          loop.healthy();
          const sealed = results.flatMap((r, i) => (r.sealed > 0 ? [`${this.sealers[i]!.log.name}: +${r.sealed} sealed through ${r.position}`] : []));
          if (sealed.length > 0) this.logger.log(sealed.join('; '));
          await idle(this.options.intervalMs, signal);
        }
      },
      { signal, loops: this.loops, config: this.config, logger: this.logger },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.controller.abort();
    await this.loop;
    await this.running;
    for (const sealer of this.sealers) await sealer.close();
  }
}
