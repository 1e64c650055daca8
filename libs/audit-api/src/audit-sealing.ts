import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ACCESS_LOG, EVENT_LOG, LogSealer, SealAnchorError, type AuditSigner, type PublishedCheckpoint, type SealResult } from '#audit';
import {
  auditCheckpointsTopic,
  auditSealAlertStream,
  deterministicUuid,
  NATIONAL,
  PlatformEventTypes,
  type AuditSealRefusedData,
} from '#contracts';
import { idle, ModelsInForce, type EventStore, type LoopRegistry } from '#event-store';
import type { MessageBus } from '#messaging';
import {
  BACKBONE_CONFIG,
  CLOCK,
  EVENT_STORE,
  LOOPS,
  MESSAGE_BUS,
  runSingleton,
  sharedCounter,
  type BackboneConfig,
  type Clock,
  type HealthIndicator,
} from '#platform';

export const AUDIT_SEALING_OPTIONS = Symbol('AuditSealingOptions');

export interface AuditSealingOptions {
  readonly signer: AuditSigner;
  /** Pause between sealing runs; 0: no loop (tests call `sealNow`). */
  readonly intervalMs: number;
  readonly checkpointEvery?: number;
  /** Checkpoints kept outside the database (e.g. read back from the checkpoints topic): the sealers' anchor (ADR 0023). */
  readonly anchor?: readonly PublishedCheckpoint[];
}

const ACTOR = 'system:sealer';

/**
 * The sealer (ADR 0009, ADR 0012, ADR 0023): extends the hash chains of the event log and of the access log and signs
 * checkpoints, one run after another with a pause between. Each log has its own advisory lock, so several
 * sealer processes are safe (one seals, the others wait and then find nothing left). Every checkpoint is published on
 * `nom.audit.checkpoints`, outside the database. A sealer that refuses to extend a chain (its start does not match the
 * newest signed checkpoint it knows of) appends an `audit-seal-refused` alarm and turns /health to 503. The loop runs
 * under supervision (ADR 0021): a failed run is retried with backoff, and readiness shows the sealer waiting.
 */
@Injectable()
export class AuditSealingService implements OnApplicationBootstrap, OnModuleDestroy, HealthIndicator {
  readonly healthName = 'sealer';
  private readonly logger = new Logger('sealer');
  /** The sealer's refusal to extend a chain is a failed verification of it (alert NomAuditVerifyFailed). */
  private readonly verifyFailures = sharedCounter(
    'nom_audit_verify_failures_total',
    'Verifications of a sealed log that found it not intact.',
    ['log'],
  );
  private sealers: LogSealer[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private readonly controller = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  /** Signed, not yet on the topic (published after each run; kept for the next run when the broker is away). */
  private unpublished: PublishedCheckpoint[] = [];
  private readonly topic: string;
  private topicReady = false;

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(AUDIT_SEALING_OPTIONS) private readonly options: AuditSealingOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.topic = auditCheckpointsTopic(config.topicPrefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    const connectionString = this.config.databaseUrl;
    if (!connectionString) throw new Error('DATABASE_URL is required by the sealer');
    const common = {
      connectionString,
      signer: this.options.signer,
      ...(this.options.checkpointEvery ? { checkpointEvery: this.options.checkpointEvery } : {}),
      ...(this.options.anchor ? { anchor: this.options.anchor } : {}),
      onCheckpoint: (checkpoint: PublishedCheckpoint) => {
        this.unpublished.push(checkpoint);
        return Promise.resolve();
      },
    };
    this.sealers = [
      await LogSealer.open({ ...common, schema: this.config.eventStoreSchema, log: EVENT_LOG }),
      await LogSealer.open({ ...common, schema: this.config.auditSchema, log: ACCESS_LOG }),
    ];
    // What was signed before this process started is published again: a force keeps one copy per (log, position).
    for (const sealer of this.sealers) {
      for (let after = 0n; ;) {
        const page = await sealer.checkpoints(after, 1000);
        this.unpublished.push(...page);
        if (page.length < 1000) break;
        after = BigInt(page[page.length - 1]!.position);
      }
    }
    await this.publish();
    if (this.options.intervalMs > 0) this.schedule();
  }

  /** Why /health is 503: a log whose chain the sealer refused to extend. */
  healthProblem(): string | undefined {
    const refused = this.sealers.flatMap((s) =>
      s.refusal ? [`${s.log.name}: refused to extend the chain (${s.refusal.kind} at ${s.refusal.position})`] : [],
    );
    return refused.length > 0 ? refused.join('; ') : undefined;
  }

  /** One run over both logs (serialised with the loop's runs); rejects if either log failed, after the other ran. */
  sealNow(): Promise<SealResult[]> {
    const run = this.running.then(async () => {
      const settled = await Promise.allSettled(this.sealers.map((sealer) => sealer.seal()));
      for (const outcome of settled) {
        if (outcome.status === 'rejected' && outcome.reason instanceof SealAnchorError) await this.alert(outcome.reason);
      }
      await this.publish();
      const failed = settled.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((outcome) => (outcome as PromiseFulfilledResult<SealResult>).value);
    });
    this.running = run.catch(() => undefined);
    return run;
  }

  /** The alarm: one event per (log, finding, position), whichever sealer process sees it first (a deterministic id). */
  private async alert(error: SealAnchorError): Promise<void> {
    this.logger.error(error.message);
    this.verifyFailures.inc({ log: error.log });
    const detectedAt = this.clock.now().toISOString();
    const modelVersion = await new ModelsInForce(this.store).versionAt(NATIONAL, detectedAt);
    const data: AuditSealRefusedData = {
      log: error.log,
      finding: error.finding.kind,
      position: error.finding.position,
      detail: error.finding.detail.slice(0, 1000),
      keyId: this.options.signer.keyId,
      detectedAt,
    };
    const id = deterministicUuid('audit-seal-refused', error.log, error.finding.kind, error.finding.position);
    await this.store.append(
      auditSealAlertStream(error.log),
      [
        {
          id,
          type: PlatformEventTypes.AuditSealRefused,
          data,
          metadata: {
            force: NATIONAL,
            occurredAt: detectedAt,
            correlationId: id,
            causationId: id,
            actor: ACTOR,
            modelVersion,
            classification: 'OFFICIAL',
          },
        },
      ],
      'any',
    );
  }

  private async publish(): Promise<void> {
    if (this.unpublished.length === 0) return;
    const batch = this.unpublished;
    try {
      // Created on first use, not at start: a broker away when the sealer starts must not stop the sealing.
      if (!this.topicReady) await this.bus.ensureTopics([this.topic]);
      this.topicReady = true;
      const records = batch.map((c) => ({ key: c.log, value: Buffer.from(JSON.stringify(c)), headers: {} }));
      await this.bus.publish([{ topic: this.topic, records }]);
      this.unpublished = this.unpublished.slice(batch.length);
    } catch (error) {
      this.logger.warn(`checkpoints not published to ${this.topic}, retrying after the next run: ${String(error)}`);
    }
  }

  private schedule(): void {
    const signal = this.controller.signal;
    this.loop = runSingleton(
      'sealer',
      async (loop) => {
        while (!loop.signal.aborted) {
          const results = await this.sealNow();
          loop.healthy();
          const sealed = results.flatMap((r, i) =>
            r.sealed > 0 ? [`${this.sealers[i]!.log.name}: +${r.sealed} sealed through ${r.position}`] : [],
          );
          if (sealed.length > 0) this.logger.log(sealed.join('; '));
          await idle(this.options.intervalMs, loop.signal);
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
