import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PostgresAppendListener, type CheckpointStore, type DeadLetterStore, type EventStore, type LoopRegistry } from '#event-store';
import { Relay, type MessageBus } from '#messaging';
import {
  BACKBONE_CONFIG,
  BROKER_READINESS,
  brokerReadiness,
  CLOCK,
  collectedGauge,
  LOG_STORE,
  LOOPS,
  RELAY_BUS,
  runSingleton,
  type BackboneConfig,
  type Clock,
} from '#platform';

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
  /** The relay's wake-up on committed appends (LISTEN/NOTIFY, ADR 0028); none on an in-memory store. */
  private readonly wakeup: PostgresAppendListener | undefined;
  readonly relay: Relay;

  constructor(
    // The log as stored: Kafka carries personal fields only encrypted (ADR 0011).
    @Inject(LOG_STORE) store: EventStore & CheckpointStore & DeadLetterStore,
    @Inject(RELAY_BUS) bus: MessageBus,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(LOOPS) private readonly loops: LoopRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.wakeup = config.databaseUrl
      ? new PostgresAppendListener({
          connectionString: config.databaseUrl,
          schema: config.eventStoreSchema,
          onError: (error) =>
            this.logger.warn(`append listener lost (polling every ${config.relayIdlePollMs} ms meanwhile): ${error.message}`),
        })
      : undefined;
    const { topicPrefix, forces, relayBatchSize: batchSize, relayIdlePollMs } = config;
    // Without a wake-up (in-memory store) the relay polls as before, every 20 ms.
    this.relay = new Relay(store, bus, {
      topicPrefix,
      forces,
      batchSize,
      schemaBaseUrl: config.schemaBaseUrl,
      ...(this.wakeup ? { wakeup: this.wakeup, idlePollMs: relayIdlePollMs } : {}),
    });
    // Relay lag and throughput at scrape time (ADR 0038): the log's head against the relay's checkpoint.
    collectedGauge('nom_relay_lag_events', 'Committed events of the log the relay has not yet published to Kafka.', [], async (set) => {
      const [head, checkpoint] = await Promise.all([store.headPosition(), store.loadCheckpoint('relay')]);
      set({}, Number(head > checkpoint ? head - checkpoint : 0n));
    });
    // The age of the oldest committed event not yet on Kafka (0 when none waits): the relay lag in seconds.
    collectedGauge(
      'nom_relay_lag_seconds',
      'Age of the oldest committed event the relay has not yet published to Kafka (0: none waiting).',
      [],
      async (set) => {
        const checkpoint = await store.loadCheckpoint('relay');
        for await (const event of store.readAll({ fromPosition: checkpoint, maxCount: 1, batchSize: 1 })) {
          set({}, Math.max(0, (this.clock.now().getTime() - Date.parse(event.recordedAt)) / 1000));
          return;
        }
        set({}, 0);
      },
    );
    collectedGauge('nom_relay_published_events_total', 'Events this relay process has published to Kafka since it started.', [], (set) => {
      set({}, this.relay.published);
    });
  }

  onApplicationBootstrap(): void {
    const deps = { signal: this.controller.signal, loops: this.loops, config: this.config, logger: this.logger };
    this.running = runSingleton('relay', (loop) => this.relay.run(loop.signal, loop.healthy), deps);
  }

  async onApplicationShutdown(): Promise<void> {
    this.controller.abort();
    await this.running;
    await this.wakeup?.close();
  }
}

@Module({ providers: [RelayService, brokerReadiness(RELAY_BUS)], exports: [RelayService, BROKER_READINESS] })
export class RelayModule {}
