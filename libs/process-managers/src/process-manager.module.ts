import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CheckpointStore, DeadLetterStore, EventStore, LoopRegistry } from '#event-store';
import {
  BACKBONE_CONFIG,
  CLOCK,
  collectedGauge,
  DecisionRunner,
  EVENT_STORE,
  LOOPS,
  runSingleton,
  type BackboneConfig,
  type Clock,
} from '#platform';
import type { OpenDuties } from './update-timers.js';
import { SupervisoryReviewsProcessManager } from './supervisory-reviews.process-manager.js';
import { VictimUpdatesProcessManager } from './victim-updates.process-manager.js';

/**
 * Runs the process managers (the log reader and the timers) for the life of the process, under supervision
 * (ADR 0021): a fault that heals is waited for with backoff, readiness says so, and the manager resumes from its
 * checkpoint; the process never stops for it.
 */
@Injectable()
export class ProcessManagerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('process-manager');
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  private reviewsRunning?: Promise<void>;
  manager?: VictimUpdatesProcessManager;
  /** The supervisory review cycle's timers (issue 13): a manager of its own, with its own checkpoint. */
  reviews?: SupervisoryReviewsProcessManager;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    private readonly runner: DecisionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the process manager');
    this.manager = await VictimUpdatesProcessManager.open(this.store, this.runner, {
      databaseUrl: this.config.databaseUrl,
      schema: this.config.eventStoreSchema,
      clock: () => this.clock.now(),
    });
    const manager = this.manager;
    // Victims' Code timers at scrape time (ADR 0038): one grouped count over the open timers' table.
    let duties: Promise<OpenDuties[]> | undefined;
    const openDuties = (): Promise<OpenDuties[]> => {
      duties ??= manager.openDuties().finally(() => {
        duties = undefined;
      });
      return duties;
    };
    collectedGauge(
      'nom_victims_code_duties_open',
      "Open Victims' Code update duties (timers running), by force.",
      ['force'],
      async (set) => {
        for (const d of await openDuties()) set({ force: d.force }, d.open);
      },
    );
    collectedGauge(
      'nom_victims_code_duties_overdue',
      "Open Victims' Code update duties past their deadline, not yet judged missed.",
      ['force'],
      async (set) => {
        for (const d of await openDuties()) set({ force: d.force }, d.overdue);
      },
    );
    const deps = { signal: this.controller.signal, loops: this.loops, config: this.config, logger: this.logger };
    const options = { databaseUrl: this.config.databaseUrl, schema: this.config.eventStoreSchema, clock: () => this.clock.now() };
    const reviews = (this.reviews = await SupervisoryReviewsProcessManager.open(this.store, this.runner, options));
    this.reviewsRunning = runSingleton(
      'process-manager:supervisory-reviews',
      (loop) => reviews.run(loop.signal, this.config.timerIntervalMs, loop.healthy),
      deps,
    );
    this.running = runSingleton(
      'process-manager:victim-updates',
      (loop) => manager.run(loop.signal, this.config.timerIntervalMs, loop.healthy),
      deps,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
    await this.reviewsRunning;
    await this.manager?.close();
    await this.reviews?.close();
  }
}

@Module({ providers: [DecisionRunner, ProcessManagerService], exports: [ProcessManagerService] })
export class ProcessManagerModule {}
