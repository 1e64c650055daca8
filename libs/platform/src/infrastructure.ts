import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PostgresAccessLog, type AccessLog } from '#audit';
import { assertValidEvents, erasedValueFor, personalFieldsOf, upcast } from '#contracts';
import {
  LocalKeyWrapper,
  LoopRegistry,
  PostgresEventStore,
  PostgresSubjectKeyStore,
  withEncryption,
  withUpcasting,
  withValidation,
  type CheckpointStore,
  type DeadLetterStore,
  type EventStore,
  type SubjectKeyStore,
} from '#event-store';
import { InProcessMessageBus, KafkaMessageBus, kafkaSasl, kafkaTls, relayTailGroupPrefix, type MessageBus } from '#messaging';
import { CLOCK, systemClock, type Clock } from './clock.js';
import { TokenVerifier } from './identity.js';
import { kafkaLogCreator, logConsumedBatch } from './logging.js';
import { PostgresIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { ConfigError, LOG_LEVELS, type BackboneConfig } from './config.js';
import { startTracing } from './tracing.js';
import {
  ACCESS_LOG,
  BACKBONE_CONFIG,
  EVENT_STORE,
  IDEMPOTENCY_STORE,
  LOG_STORE,
  LOOPS,
  MESSAGE_BUS,
  PROJECTOR_BUS,
  RELAY_BUS,
  SUBJECT_KEY_STORE,
} from './tokens.js';

/** The adapters a process runs on, built once at start-up and closed at shutdown. */
export interface Infrastructure {
  readonly config: BackboneConfig;
  /** Every append is checked against the event catalogue (an invalid event is refused, nothing stored). */
  readonly store: EventStore & CheckpointStore & DeadLetterStore;
  /**
   * The log as stored: personal fields stay encrypted (or unreadable once erased); upcast. The relay publishes
   * from it and the audit sealer seals it, so neither Kafka nor the seal ever holds personal data in clear.
   */
  readonly logStore: EventStore & CheckpointStore & DeadLetterStore;
  /** Data subjects' keys (wrapped by the KEK); erasure destroys them. */
  readonly keys: SubjectKeyStore;
  readonly bus: MessageBus;
  /** The relay's and the projector's buses (`bus` unless `kafkaPrincipals` names their own). */
  readonly relayBus: MessageBus;
  readonly projectorBus: MessageBus;
  readonly verifier: TokenVerifier;
  readonly idempotency: IdempotencyStore;
  /** The Section 62 access log every HTTP route writes to (ADR 0012). */
  readonly accessLog: AccessLog;
  /** What every decision by "now" reads (CLOCK): the system clock unless a test or a simulation injects one. */
  readonly clock: Clock;
  /** The states of the process's background loops, for readiness (ADR 0021). */
  readonly loops: LoopRegistry;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** A verifier built elsewhere (the quick start's local issuer, tests). */
  readonly verifier?: TokenVerifier;
  /** False for processes that serve only public routes (the relay): no key needed, every token refused. */
  readonly requireAuth?: boolean;
  /**
   * False for processes that never read or write personal data in clear (the relay, the projector): they get
   * no key-encryption key (NOM_KEK not needed), and any attempt to encrypt or decrypt through `store` fails.
   */
  readonly personalData?: boolean;
  /** The time source (tests: a fixed clock); the system clock by default. */
  readonly clock?: Clock;
  /**
   * Kafka principals of the relay and the projector when they run in this process beside others (the end-to-end
   * tests: `nom-relay`, `nom-projector`, never the admin); a deployment runs each as its own process instead.
   */
  readonly kafkaPrincipals?: { readonly relay?: KafkaPrincipal; readonly projector?: KafkaPrincipal };
}

export interface KafkaPrincipal {
  readonly username: string;
  readonly password: string;
}

/** The key store of a process that holds no KEK: every use is refused, so nothing is ever stored in clear. */
const NO_KEYS: SubjectKeyStore = {
  keysForReading: () => Promise.reject(new Error('this process holds no key-encryption key (it must not decrypt personal data)')),
  keysForWriting: () => Promise.reject(new Error('this process holds no key-encryption key (it must not write personal data)')),
  erase: () => Promise.reject(new Error('this process holds no key-encryption key (it cannot erase)')),
  close: () => Promise.resolve(),
};

export async function createInfrastructure(config: BackboneConfig, options: InfrastructureOptions = {}): Promise<Infrastructure> {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required (only the quick start embeds PostgreSQL)');
  const tracing = config.tracing ? startTracing(config.tracing) : undefined;
  const verifier =
    options.verifier ??
    (options.requireAuth === false && config.auth.issuers.length === 0
      ? TokenVerifier.refusingAll()
      : await TokenVerifier.fromConfig(config.auth));
  const personalData = options.personalData ?? true;
  if (personalData && !config.kek)
    throw new ConfigError('NOM_KEK is required: the key-encryption key of personal data (32 bytes, base64; `openssl rand -base64 32`)');
  const raw = await PostgresEventStore.open({
    connectionString: config.databaseUrl,
    schema: config.eventStoreSchema,
    poolSize: config.pgPoolSize,
  });
  const keys =
    personalData && config.kek
      ? await PostgresSubjectKeyStore.open({
          connectionString: config.databaseUrl,
          schema: config.eventStoreSchema,
          wrapper: LocalKeyWrapper.fromBase64(config.kek),
        })
      : NO_KEYS;
  // Appends are checked against the catalogue in clear, then personal fields are encrypted (ADR 0011); reads
  // decrypt (or show the erased marker), then see only current event versions (old ones upcast).
  const store = withUpcasting(withValidation(withEncryption(raw, keys, { personalFieldsOf, erasedValueFor }), assertValidEvents), upcast);
  const logStore = withUpcasting(raw, upcast);
  const idempotency = await PostgresIdempotencyStore.open(config.databaseUrl, config.eventStoreSchema, {
    clock: options.clock ?? systemClock,
    ttlHours: config.idempotencyTtlHours,
  });
  const accessLog = await PostgresAccessLog.open(config.databaseUrl, config.auditSchema);
  const batchLines = LOG_LEVELS.indexOf(config.logLevel) >= LOG_LEVELS.indexOf('log');
  const kafkaBus = (brokers: readonly string[], principal?: KafkaPrincipal): KafkaMessageBus => {
    const sasl = principal && config.kafkaSasl ? { ...config.kafkaSasl, ...principal } : config.kafkaSasl;
    return new KafkaMessageBus({
      brokers,
      clientId: principal?.username ?? 'nom-backbone',
      partitions: config.kafkaPartitions,
      replicationFactor: config.kafkaReplicationFactor,
      ...(sasl ? { sasl: kafkaSasl(sasl) } : {}),
      ssl: kafkaTls({ ssl: config.kafkaSsl, ...(config.kafkaSslCaFile ? { caFile: config.kafkaSslCaFile } : {}) }),
      // The relay learns what its topics hold in groups of this prefix only (ADR 0010, ADR 0021).
      tailGroupPrefix: relayTailGroupPrefix(config.topicPrefix),
      retry: config.retry,
      logCreator: kafkaLogCreator,
      // The batch line is an info line: below that level its summary (a scan of every record's headers) is not made.
      ...(batchLines ? { onBatch: logConsumedBatch } : {}),
    });
  };
  const brokers = config.kafkaBrokers;
  const bus: MessageBus = brokers ? kafkaBus(brokers) : new InProcessMessageBus();
  const { relay, projector } = options.kafkaPrincipals ?? {};
  const relayBus = brokers && relay ? kafkaBus(brokers, relay) : bus;
  const projectorBus = brokers && projector ? kafkaBus(brokers, projector) : bus;
  return {
    config,
    store,
    logStore,
    keys,
    bus,
    relayBus,
    projectorBus,
    verifier,
    idempotency,
    accessLog,
    clock: options.clock ?? systemClock,
    loops: new LoopRegistry(),
    async close() {
      await tracing?.shutdown();
      if (relayBus !== bus) await relayBus.close();
      if (projectorBus !== bus) await projectorBus.close();
      await bus.close();
      await accessLog.close();
      await idempotency.close();
      await keys.close();
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
        { provide: LOG_STORE, useValue: infrastructure.logStore },
        { provide: SUBJECT_KEY_STORE, useValue: infrastructure.keys },
        { provide: MESSAGE_BUS, useValue: infrastructure.bus },
        { provide: RELAY_BUS, useValue: infrastructure.relayBus },
        { provide: PROJECTOR_BUS, useValue: infrastructure.projectorBus },
        { provide: TokenVerifier, useValue: infrastructure.verifier },
        { provide: IDEMPOTENCY_STORE, useValue: infrastructure.idempotency },
        { provide: ACCESS_LOG, useValue: infrastructure.accessLog },
        { provide: CLOCK, useValue: infrastructure.clock },
        { provide: LOOPS, useValue: infrastructure.loops },
      ],
      exports: [
        BACKBONE_CONFIG,
        EVENT_STORE,
        LOG_STORE,
        SUBJECT_KEY_STORE,
        MESSAGE_BUS,
        RELAY_BUS,
        PROJECTOR_BUS,
        TokenVerifier,
        IDEMPOTENCY_STORE,
        ACCESS_LOG,
        CLOCK,
        LOOPS,
      ],
    };
  }
}
