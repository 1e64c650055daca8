import { FORCE_CODES, type ForceCode } from '#contracts';
import { authConfigOf, type AuthConfig } from './auth-config.js';
import { readEnvironment, type Environment, type RawEnvironment } from './config/environment.js';

/** Everything the backbone reads from its environment; the README's configuration table lists the same. */
export interface BackboneConfig {
  /** PostgreSQL for the event store and the force projections. Unset only in the quick start (embedded). */
  readonly databaseUrl?: string;
  /** Comma-separated Kafka bootstrap servers; unset selects the in-process bus (quick start only). */
  readonly kafkaBrokers?: readonly string[];
  /** SASL credentials of this process's Kafka principal (ADR 0010); unset: no authentication. */
  readonly kafkaSasl?: KafkaSaslConfig;
  /** TLS to the brokers (KAFKA_SSL=true, or a CA file given). */
  readonly kafkaSsl: boolean;
  /** PEM file of the CA(s) the brokers' certificates are checked against (KAFKA_SSL_CA_FILE; a managed cluster's private CA). */
  readonly kafkaSslCaFile?: string;
  /** Connections of the event store's pool (NOM_PG_POOL_SIZE) and of each force projector's (NOM_PROJECTOR_POOL_SIZE). */
  readonly pgPoolSize: number;
  readonly projectorPoolSize: number;
  /** NOM_LOG_LEVEL: this level and everything more severe is logged. */
  readonly logLevel: LogLevel;
  /** OTLP/HTTP trace export (ADR 0039); absent: tracing off, no SDK started. */
  readonly tracing?: TracingConfig;
  /** The sealer's checkpoints kept outside the database (NOM_AUDIT_ANCHOR_FILE, ADR 0023). */
  readonly auditAnchorFile?: string;
  readonly kafkaPartitions: number;
  readonly kafkaReplicationFactor: number;
  readonly topicPrefix: string;
  /** Where the backbone's `/schemas` are reached from outside, written in every record's `ce_dataschema` (ADR 0031). */
  readonly schemaBaseUrl: string;
  readonly eventStoreSchema: string;
  /** The Section 62 access log and its seals (ADR 0012). */
  readonly auditSchema: string;
  /** The sealer's Ed25519 signing key: PKCS#8 PEM, or a path to one (sealer app; the quick start makes its own). */
  readonly auditSigningKey?: string;
  /** Pause between the sealer's runs. */
  readonly sealIntervalMs: number;
  /** Each force's read models live in schema `<prefix><force_code>` (hyphens as underscores). */
  readonly projectionSchemaPrefix: string;
  /**
   * Default isolation of a force onboarded without a choice: its own schema in the shared database, or its own
   * database (named like the schema, on the same server) holding that schema.
   */
  readonly projectionIsolation: 'schema' | 'database';
  /** Drop a read model's replaced build once a rebuild has switched to the new one (false keeps it, retired). */
  readonly projectionDropOldBuild: boolean;
  /** How often the process manager fires due Victims' Code timers. */
  readonly timerIntervalMs: number;
  /** Events the relay reads and publishes per round trip. */
  readonly relayBatchSize: number;
  /**
   * The relay's safety-net poll when caught up: it is woken by LISTEN/NOTIFY on every committed append
   * (ADR 0028) and polls only in case a notification was lost.
   */
  readonly relayIdlePollMs: number;
  /**
   * Backoff of every background loop (relay, projectors, process managers, national views, sealer) after a
   * failure: the first delay is about `initialMs`, doubling per failure up to `maxMs`, with jitter (ADR 0021).
   */
  readonly retry: { readonly initialMs: number; readonly maxMs: number };
  /** The singletons' leader lock (ADR 0037). */
  readonly leaderLock: { readonly enabled: boolean; readonly retryMs: number };
  readonly port: number;
  /** Forces this process projects (projector) or creates topics for (relay). */
  readonly forces: readonly ForceCode[];
  /** The identity providers trusted, each for its own forces, and the longest token lifetime accepted. */
  readonly auth: AuthConfig;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Requests per caller (officer in a force) in any window of `windowMs`; over it: 429. */
  readonly rateLimit: { readonly limit: number; readonly windowMs: number };
  /**
   * Aggregates over fewer cases, victims or duties than this are suppressed in national and KPI views (national
   * KPIs: a count, or a rate's numerator or denominator, below it; docs/kpis.md).
   */
  readonly kpiSuppressionThreshold: number;
  /** How long a command's first response is kept for Idempotency-Key retries (NOM_IDEMPOTENCY_TTL_HOURS, default 24). */
  readonly idempotencyTtlHours: number;
  /** The scraper's bearer token for /metrics (NOM_METRICS_TOKEN, at least 32 characters); unset: /metrics is not served. */
  readonly metricsToken?: string;
  /** How often /metrics' text is collected (NOM_METRICS_REFRESH_MS, default 15000); a scrape costs no query. */
  readonly metricsRefreshMs: number;
  /**
   * Key-encryption key wrapping every data subject's key (ADR 0011): 32 bytes, base64 (`NOM_KEK`). Required by
   * every process that opens the event store; the quick start generates one on first run under .local.
   */
  readonly kek?: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain', 'oauthbearer'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** A principal's credentials: a password (SCRAM, PLAIN) or OAuth 2.0 client credentials (OAUTHBEARER, managed clusters). */
export type KafkaSaslConfig =
  | { readonly mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; readonly username: string; readonly password: string }
  | {
      readonly mechanism: 'oauthbearer';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    };

export { ConfigError } from './config-error.js';

function kafkaSasl(env: Environment): KafkaSaslConfig | undefined {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined) return undefined;
  if (mechanism === 'oauthbearer') {
    return {
      mechanism,
      tokenUrl: env.KAFKA_OAUTH_TOKEN_URL ?? '',
      clientId: env.KAFKA_OAUTH_CLIENT_ID ?? '',
      clientSecret: env.KAFKA_OAUTH_CLIENT_SECRET ?? '',
      ...(env.KAFKA_OAUTH_SCOPE ? { scope: env.KAFKA_OAUTH_SCOPE } : {}),
    };
  }
  return { mechanism, username: env.KAFKA_USERNAME ?? '', password: env.KAFKA_PASSWORD ?? '' };
}

/** The settings of a parsed environment (see `readEnvironment`, the one schema of every variable). */
export function configOf(env: Environment, defaults: { forces?: readonly ForceCode[] } = {}): BackboneConfig {
  const sasl = kafkaSasl(env);
  return {
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.KAFKA_BROKERS && env.KAFKA_BROKERS.length > 0 ? { kafkaBrokers: env.KAFKA_BROKERS } : {}),
    ...(sasl ? { kafkaSasl: sasl } : {}),
    kafkaSsl: env.KAFKA_SSL || env.KAFKA_SSL_CA_FILE !== undefined,
    ...(env.KAFKA_SSL_CA_FILE ? { kafkaSslCaFile: env.KAFKA_SSL_CA_FILE } : {}),
    kafkaPartitions: env.KAFKA_PARTITIONS,
    kafkaReplicationFactor: env.KAFKA_REPLICATION_FACTOR,
    topicPrefix: env.NOM_TOPIC_PREFIX,
    schemaBaseUrl: env.NOM_SCHEMA_BASE_URL.replace(/\/+$/, ''),
    eventStoreSchema: env.NOM_EVENT_STORE_SCHEMA,
    auditSchema: env.NOM_AUDIT_SCHEMA,
    ...(env.NOM_AUDIT_SIGNING_KEY ? { auditSigningKey: env.NOM_AUDIT_SIGNING_KEY } : {}),
    ...(env.NOM_AUDIT_ANCHOR_FILE ? { auditAnchorFile: env.NOM_AUDIT_ANCHOR_FILE } : {}),
    sealIntervalMs: env.NOM_SEAL_INTERVAL_MS,
    pgPoolSize: env.NOM_PG_POOL_SIZE,
    projectorPoolSize: env.NOM_PROJECTOR_POOL_SIZE,
    logLevel: env.NOM_LOG_LEVEL,
    projectionSchemaPrefix: env.NOM_PROJECTION_SCHEMA_PREFIX,
    projectionIsolation: env.NOM_PROJECTION_ISOLATION,
    projectionDropOldBuild: env.NOM_PROJECTION_DROP_OLD_BUILD,
    relayBatchSize: env.NOM_RELAY_BATCH_SIZE,
    relayIdlePollMs: env.NOM_RELAY_IDLE_POLL_MS,
    timerIntervalMs: env.NOM_TIMER_INTERVAL_MS,
    retry: { initialMs: env.NOM_RETRY_INITIAL_MS, maxMs: env.NOM_RETRY_MAX_MS },
    leaderLock: { enabled: env.NOM_LEADER_LOCK, retryMs: env.NOM_LEADER_RETRY_MS },
    port: env.PORT,
    forces: env.NOM_FORCES ?? defaults.forces ?? FORCE_CODES,
    auth: authConfigOf(env),
    bodyLimitBytes: env.NOM_BODY_LIMIT_BYTES,
    rateLimit: { limit: env.NOM_RATE_LIMIT, windowMs: env.NOM_RATE_LIMIT_WINDOW_MS },
    kpiSuppressionThreshold: env.NOM_KPI_SUPPRESSION_THRESHOLD,
    idempotencyTtlHours: env.NOM_IDEMPOTENCY_TTL_HOURS,
    metricsRefreshMs: env.NOM_METRICS_REFRESH_MS,
    ...(env.NOM_METRICS_TOKEN ? { metricsToken: env.NOM_METRICS_TOKEN } : {}),
    ...(env.NOM_KEK ? { kek: env.NOM_KEK } : {}),
    ...tracingOf(env),
  };
}

/** Where traces go: the OTEL_* variables (ADR 0039). */
export interface TracingConfig {
  /** The full OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
}

function tracingOf(env: Environment): { tracing?: TracingConfig } {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return {};
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : `${base}/v1/traces`);
  if (url === undefined) return {};
  const headers = Object.fromEntries(
    (env.OTEL_EXPORTER_OTLP_HEADERS ?? '')
      .split(',')
      .map((pair) => pair.split('='))
      .filter((kv): kv is [string, string, ...string[]] => kv.length >= 2 && kv[0]!.trim() !== '')
      .map(([k, ...v]) => [decodeURIComponent(k.trim()), decodeURIComponent(v.join('=').trim())]),
  );
  return { tracing: { url, headers, serviceName: env.OTEL_SERVICE_NAME } };
}

/**
 * Reads and checks every variable (one ConfigError listing every problem) and returns the backbone's settings. Tests
 * pass their own variables; processes read their own environment.
 */
export function loadConfig(env?: RawEnvironment, defaults: { forces?: readonly ForceCode[] } = {}): BackboneConfig {
  return configOf(readEnvironment(env), defaults);
}
