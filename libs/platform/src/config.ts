import { FORCE_CODES, isForceCode, type ForceCode } from '#contracts';
import { loadAuthConfig, type AuthConfig } from './auth-config.js';
import { ConfigError } from './config-error.js';

/** Everything the backbone reads from its environment; the README's configuration table lists the same. */
export interface BackboneConfig {
  /** PostgreSQL for the event store and the force projections. Unset only in the quick start (embedded). */
  readonly databaseUrl?: string;
  /** Comma-separated Kafka bootstrap servers; unset selects the in-process bus (quick start only). */
  readonly kafkaBrokers?: readonly string[];
  /** SASL credentials of this process's Kafka principal (ADR 0010); unset: no authentication. */
  readonly kafkaSasl?: KafkaSaslConfig;
  /** TLS to the brokers (KAFKA_SSL=true). */
  readonly kafkaSsl: boolean;
  readonly kafkaPartitions: number;
  readonly kafkaReplicationFactor: number;
  readonly topicPrefix: string;
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
  readonly port: number;
  /** Forces this process projects (projector) or creates topics for (relay). */
  readonly forces: readonly ForceCode[];
  readonly modelVersion: string;
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

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** The shape kafkajs takes as `sasl` for these mechanisms. */
export interface KafkaSaslConfig {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

export { ConfigError } from './config-error.js';

function metricsToken(raw: string): string {
  if (raw.length < 32 || /\s/.test(raw)) throw new ConfigError('NOM_METRICS_TOKEN must be at least 32 characters, without spaces (e.g. `openssl rand -hex 32`)');
  return raw;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function forces(raw: string | undefined, fallback: readonly ForceCode[]): readonly ForceCode[] {
  if (!raw || raw.trim() === '') return fallback;
  if (raw.trim() === 'all') return FORCE_CODES;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((f) => !isForceCode(f));
  if (unknown.length > 0) throw new ConfigError(`NOM_FORCES has unknown force codes: ${unknown.join(', ')} (see forces.csv)`);
  return list as ForceCode[];
}

function kek(raw: string): string {
  const value = raw.trim();
  if (Buffer.from(value, 'base64').length !== 32 || Buffer.from(value, 'base64').toString('base64') !== value) {
    throw new ConfigError('NOM_KEK must be 32 bytes, base64 encoded (e.g. `openssl rand -base64 32`)');
  }
  return value;
}

function kafkaSasl(env: NodeJS.ProcessEnv): KafkaSaslConfig | undefined {
  const mechanism = env['KAFKA_SASL_MECHANISM']?.trim().toLowerCase() || undefined;
  const username = env['KAFKA_USERNAME'] || undefined;
  const password = env['KAFKA_PASSWORD'] || undefined;
  if (!mechanism && !username && !password) return undefined;
  if (!mechanism) throw new ConfigError('KAFKA_USERNAME/KAFKA_PASSWORD need KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or plain)');
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new ConfigError(`KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got ${JSON.stringify(env['KAFKA_SASL_MECHANISM'])}`);
  }
  if (!username || !password) throw new ConfigError('KAFKA_SASL_MECHANISM needs both KAFKA_USERNAME and KAFKA_PASSWORD');
  return { mechanism: mechanism as KafkaSaslMechanism, username, password };
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function retryBackoff(env: NodeJS.ProcessEnv): BackboneConfig['retry'] {
  const initialMs = integer(env, 'NOM_RETRY_INITIAL_MS', 250, 10, 60_000);
  const maxMs = integer(env, 'NOM_RETRY_MAX_MS', 30_000, 100, 3_600_000);
  if (maxMs < initialMs) throw new ConfigError('NOM_RETRY_MAX_MS must be at least NOM_RETRY_INITIAL_MS');
  return { initialMs, maxMs };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: { forces?: readonly ForceCode[] } = {}): BackboneConfig {
  const brokers = env['KAFKA_BROKERS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const sasl = kafkaSasl(env);
  const schema = env['NOM_EVENT_STORE_SCHEMA'] ?? 'nom_event_store';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError('NOM_EVENT_STORE_SCHEMA must be a lower-case identifier');
  const auditSchema = env['NOM_AUDIT_SCHEMA'] ?? 'nom_audit';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(auditSchema)) throw new ConfigError('NOM_AUDIT_SCHEMA must be a lower-case identifier');
  const projectionSchemaPrefix = env['NOM_PROJECTION_SCHEMA_PREFIX'] ?? 'force_';
  if (!/^[a-z_][a-z0-9_]{0,29}$/.test(projectionSchemaPrefix)) throw new ConfigError('NOM_PROJECTION_SCHEMA_PREFIX must be a lower-case identifier of at most 30 characters');
  const prefix = env['NOM_TOPIC_PREFIX'] ?? 'nom';
  if (!/^[a-zA-Z0-9._-]{1,100}$/.test(prefix)) throw new ConfigError('NOM_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"');
  const isolation = env['NOM_PROJECTION_ISOLATION'] ?? 'schema';
  if (isolation !== 'schema' && isolation !== 'database') throw new ConfigError('NOM_PROJECTION_ISOLATION must be schema or database');
  const dropOld = env['NOM_PROJECTION_DROP_OLD_BUILD'] ?? 'true';
  if (dropOld !== 'true' && dropOld !== 'false') throw new ConfigError('NOM_PROJECTION_DROP_OLD_BUILD must be true or false');
  return {
    ...(env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'] } : {}),
    ...(brokers && brokers.length > 0 ? { kafkaBrokers: brokers } : {}),
    ...(sasl ? { kafkaSasl: sasl } : {}),
    kafkaSsl: flag(env, 'KAFKA_SSL'),
    kafkaPartitions: integer(env, 'KAFKA_PARTITIONS', 6, 1, 1000),
    kafkaReplicationFactor: integer(env, 'KAFKA_REPLICATION_FACTOR', 1, 1, 10),
    topicPrefix: prefix,
    eventStoreSchema: schema,
    auditSchema,
    ...(env['NOM_AUDIT_SIGNING_KEY'] ? { auditSigningKey: env['NOM_AUDIT_SIGNING_KEY'] } : {}),
    sealIntervalMs: integer(env, 'NOM_SEAL_INTERVAL_MS', 10_000, 100, 3_600_000),
    projectionSchemaPrefix,
    projectionIsolation: isolation,
    projectionDropOldBuild: dropOld === 'true',
    relayBatchSize: integer(env, 'NOM_RELAY_BATCH_SIZE', 500, 1, 10_000),
    relayIdlePollMs: integer(env, 'NOM_RELAY_IDLE_POLL_MS', 500, 1, 60_000),
    timerIntervalMs: integer(env, 'NOM_TIMER_INTERVAL_MS', 30_000, 100, 3_600_000),
    retry: retryBackoff(env),
    port: integer(env, 'PORT', 3000, 0, 65535),
    forces: forces(env['NOM_FORCES'], defaults.forces ?? FORCE_CODES),
    modelVersion: env['NOM_MODEL_VERSION'] ?? '2026.1',
    auth: loadAuthConfig(env, integer(env, 'NOM_AUTH_MAX_TOKEN_LIFETIME_S', 3600, 60, 86_400)),
    bodyLimitBytes: integer(env, 'NOM_BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    rateLimit: {
      limit: integer(env, 'NOM_RATE_LIMIT', 600, 1, 1_000_000),
      windowMs: integer(env, 'NOM_RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    kpiSuppressionThreshold: integer(env, 'NOM_KPI_SUPPRESSION_THRESHOLD', 10, 1, 1000),
    idempotencyTtlHours: integer(env, 'NOM_IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
    metricsRefreshMs: integer(env, 'NOM_METRICS_REFRESH_MS', 15_000, 100, 3_600_000),
    ...(env['NOM_METRICS_TOKEN'] ? { metricsToken: metricsToken(env['NOM_METRICS_TOKEN']) } : {}),
    ...(env['NOM_KEK'] ? { kek: kek(env['NOM_KEK']) } : {}),
  };
}
