import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CheckpointStore, DeadLetterStore, EventStore } from '#event-store';
import { Relay, type MessageBus } from '#messaging';
import type { BackboneConfig } from './config.js';
import { BACKBONE_CONFIG, LOG_STORE, MESSAGE_BUS } from './tokens.js';

/** Runs the relay for the life of the process. A relay error ends the process: its supervisor restarts it. */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('relay');
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  readonly relay: Relay;

  constructor(
    // The log as stored: Kafka carries personal fields only encrypted (ADR 0011).
    @Inject(LOG_STORE) store: EventStore & CheckpointStore & DeadLetterStore,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(BACKBONE_CONFIG) config: BackboneConfig,
  ) {
    this.relay = new Relay(store, bus, { topicPrefix: config.topicPrefix, forces: config.forces, batchSize: config.relayBatchSize });
  }

  onApplicationBootstrap(): void {
    this.running = this.relay.run(this.controller.signal).catch((error: unknown) => {
      this.logger.error(`relay stopped: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}

@Module({ providers: [RelayService], exports: [RelayService] })
export class RelayModule {}
