import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CheckpointStore, DeadLetterStore, EventStore } from '#event-store';
import { BACKBONE_CONFIG, DecisionRunner, EVENT_STORE, type BackboneConfig } from '#platform';
import { VictimUpdatesProcessManager } from './victim-updates.process-manager.js';

/** Runs the process managers for the life of the process; an error ends the process for its supervisor. */
@Injectable()
export class ProcessManagerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('process-manager');
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  manager?: VictimUpdatesProcessManager;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore & CheckpointStore & DeadLetterStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    private readonly runner: DecisionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is required by the process manager');
    this.manager = await VictimUpdatesProcessManager.open(this.store, this.runner, { databaseUrl: this.config.databaseUrl, schema: this.config.eventStoreSchema });
    this.running = this.manager.run(this.controller.signal, this.config.timerIntervalMs).catch((error: unknown) => {
      this.logger.error(`process manager stopped: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
    await this.manager?.close();
  }
}

@Module({ providers: [DecisionRunner, ProcessManagerService], exports: [ProcessManagerService] })
export class ProcessManagerModule {}
