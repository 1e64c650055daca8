import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CheckpointStore, DeadLetterStore, EventStore, LoopRegistry } from '#event-store';
import { Relay, type MessageBus } from '#messaging';
import type { BackboneConfig } from './config.js';
import { runSupervised } from './supervised-loop.js';
import { BACKBONE_CONFIG, LOG_STORE, LOOPS, RELAY_BUS } from './tokens.js';

/**
 * Runs the relay for the life of the process, under supervision (ADR 0021): a broker or database away is waited
 * for with backoff while readiness says so, and the relay resumes from its checkpoint; the process, API
 * included, never stops for it.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('relay');
  private readonly controller = new AbortController();
  private running?: Promise<void>;
  readonly relay: Relay;

  constructor(
    // The log as stored: Kafka carries personal fields only encrypted (ADR 0011).
    @Inject(LOG_STORE) store: EventStore & CheckpointStore & DeadLetterStore,
    @Inject(RELAY_BUS) bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
  ) {
    this.relay = new Relay(store, bus, { topicPrefix: config.topicPrefix, forces: config.forces, batchSize: config.relayBatchSize });
  }

  onApplicationBootstrap(): void {
    const deps = { signal: this.controller.signal, loops: this.loops, config: this.config, logger: this.logger };
    this.running = runSupervised('relay', (loop) => this.relay.run(loop.signal, loop.healthy), deps);
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
  }
}

@Module({ providers: [RelayService], exports: [RelayService] })
export class RelayModule {}
