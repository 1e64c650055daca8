import { Global, Module, type DynamicModule } from '@nestjs/common';
import { assertValidEvents, upcast } from '#contracts';
import { PostgresEventStore, withUpcasting, withValidation, type CheckpointStore, type EventStore } from '#event-store';
import { InProcessMessageBus, KafkaMessageBus, type MessageBus } from '#messaging';
import type { BackboneConfig } from './config.js';
import { TokenVerifier } from './identity.js';
import { PostgresIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { BACKBONE_CONFIG, EVENT_STORE, IDEMPOTENCY_STORE, MESSAGE_BUS } from './tokens.js';

/** The adapters a process runs on, built once at start-up and closed at shutdown. */
export interface Infrastructure {
  readonly config: BackboneConfig;
  /** Every append is checked against the event catalogue (an invalid event is refused, nothing stored). */
  readonly store: EventStore & CheckpointStore;
  readonly bus: MessageBus;
  readonly verifier: TokenVerifier;
  readonly idempotency: IdempotencyStore;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** A verifier built elsewhere (the quick start's local issuer, tests). */
  readonly verifier?: TokenVerifier;
  /** False for processes that serve only public routes (the relay): no key needed, every token refused. */
  readonly requireAuth?: boolean;
}

export async function createInfrastructure(config: BackboneConfig, options: InfrastructureOptions = {}): Promise<Infrastructure> {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required (only the quick start embeds PostgreSQL)');
  const verifier =
    options.verifier ??
    (options.requireAuth === false && !config.auth.jwksUrl && !config.auth.publicKeyPem
      ? TokenVerifier.refusingAll()
      : await TokenVerifier.fromConfig(config.auth));
  const raw = await PostgresEventStore.open({ connectionString: config.databaseUrl, schema: config.eventStoreSchema, poolSize: 16 });
  // Appends are checked against the catalogue; reads see only current event versions (old ones upcast).
  const store = withUpcasting(withValidation(raw, assertValidEvents), upcast);
  const idempotency = await PostgresIdempotencyStore.open(config.databaseUrl, config.eventStoreSchema);
  const bus: MessageBus = config.kafkaBrokers
    ? new KafkaMessageBus({
        brokers: config.kafkaBrokers,
        clientId: 'nom-backbone',
        partitions: config.kafkaPartitions,
        replicationFactor: config.kafkaReplicationFactor,
      })
    : new InProcessMessageBus();
  return {
    config,
    store,
    bus,
    verifier,
    idempotency,
    async close() {
      await bus.close();
      await idempotency.close();
      await raw.close();
    },
  };
}

/** Makes the infrastructure injectable everywhere (EVENT_STORE, MESSAGE_BUS, BACKBONE_CONFIG, TokenVerifier). */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(infrastructure: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: BACKBONE_CONFIG, useValue: infrastructure.config },
        { provide: EVENT_STORE, useValue: infrastructure.store },
        { provide: MESSAGE_BUS, useValue: infrastructure.bus },
        { provide: TokenVerifier, useValue: infrastructure.verifier },
        { provide: IDEMPOTENCY_STORE, useValue: infrastructure.idempotency },
      ],
      exports: [BACKBONE_CONFIG, EVENT_STORE, MESSAGE_BUS, TokenVerifier, IDEMPOTENCY_STORE],
    };
  }
}
