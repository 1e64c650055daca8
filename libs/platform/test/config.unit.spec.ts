import { ConfigError, loadConfig } from '../src/config.js';

describe(loadConfig.name, () => {
  it('has safe defaults and no services configured', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.kafkaSasl).toBeUndefined();
    expect(config.kafkaSsl).toBe(false);
    expect(config.forces).toHaveLength(43);
    expect(config).toMatchObject({
      port: 3000,
      topicPrefix: 'nom',
      eventStoreSchema: 'nom_event_store',
      projectionSchemaPrefix: 'force_',
      projectionIsolation: 'schema',
      projectionDropOldBuild: true,
      relayBatchSize: 500,
      kpiSuppressionThreshold: 10,
    });
  });

  it('reads services and forces from the environment', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x', KAFKA_BROKERS: 'a:9092, b:9092', NOM_FORCES: 'wiltshire,durham' });
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9092']);
    expect(config.forces).toEqual(['wiltshire', 'durham']);
  });

  it('retries background loops from 250 ms up to 30 s unless configured, and refuses a ceiling below the start', () => {
    expect(loadConfig({}).retry).toEqual({ initialMs: 250, maxMs: 30_000 });
    expect(loadConfig({ NOM_RETRY_INITIAL_MS: '100', NOM_RETRY_MAX_MS: '1000' }).retry).toEqual({ initialMs: 100, maxMs: 1000 });
    expect(() => loadConfig({ NOM_RETRY_INITIAL_MS: '5000', NOM_RETRY_MAX_MS: '1000' })).toThrow(ConfigError);
  });

  it('keeps idempotency records 24 hours and serves no /metrics unless configured (issue 12)', () => {
    expect(loadConfig({})).toMatchObject({ idempotencyTtlHours: 24, metricsRefreshMs: 15_000 });
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ NOM_IDEMPOTENCY_TTL_HOURS: '2', NOM_METRICS_TOKEN: 'x'.repeat(32) })).toMatchObject({
      idempotencyTtlHours: 2,
      metricsToken: 'x'.repeat(32),
    });
  });

  it('writes ce_dataschema under an https schema base URL, http only on a loopback host (ADR 0031)', () => {
    expect(loadConfig({}).schemaBaseUrl).toBe('https://api.nom.police.uk/schemas');
    expect(loadConfig({ NOM_SCHEMA_BASE_URL: 'https://api.kent.example/nom/schemas/' }).schemaBaseUrl).toBe(
      'https://api.kent.example/nom/schemas',
    );
    expect(loadConfig({ NOM_SCHEMA_BASE_URL: 'http://127.0.0.1:3000/schemas' }).schemaBaseUrl).toBe('http://127.0.0.1:3000/schemas');
    expect(() => loadConfig({ NOM_SCHEMA_BASE_URL: 'http://api.kent.example/schemas' })).toThrow(ConfigError);
    expect(() => loadConfig({ NOM_SCHEMA_BASE_URL: 'https://api.kent.example/schemas?x=1' })).toThrow(ConfigError);
    expect(() => loadConfig({ NOM_SCHEMA_BASE_URL: 'not a url' })).toThrow(/NOM_SCHEMA_BASE_URL/);
  });

  it('polls the relay every 500 ms as a safety net behind its append notifications unless configured (issue 14)', () => {
    expect(loadConfig({}).relayIdlePollMs).toBe(500);
    expect(loadConfig({ NOM_RELAY_IDLE_POLL_MS: '50' }).relayIdlePollMs).toBe(50);
    expect(() => loadConfig({ NOM_RELAY_IDLE_POLL_MS: '0' })).toThrow(/NOM_RELAY_IDLE_POLL_MS/);
  });

  it('limits each caller to 600 requests a minute unless configured', () => {
    expect(loadConfig({}).rateLimit).toEqual({ limit: 600, windowMs: 60_000 });
    expect(loadConfig({ NOM_RATE_LIMIT: '20', NOM_RATE_LIMIT_WINDOW_MS: '1000' }).rateLimit).toEqual({ limit: 20, windowMs: 1000 });
  });

  it('reads the Kafka principal and TLS from the environment', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:9092',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_USERNAME: 'nom-relay',
      KAFKA_PASSWORD: 's3cret',
      KAFKA_SSL: 'true',
    });
    expect(config.kafkaSasl).toEqual({ mechanism: 'scram-sha-512', username: 'nom-relay', password: 's3cret' });
    expect(config.kafkaSsl).toBe(true);
  });

  it.each([
    [{ KAFKA_USERNAME: 'nom-relay', KAFKA_PASSWORD: 'x' }, 'KAFKA_USERNAME/KAFKA_PASSWORD need KAFKA_SASL_MECHANISM'],
    [
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_USERNAME: 'u', KAFKA_PASSWORD: 'p' },
      'KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_USERNAME: 'nom-relay' },
      'KAFKA_SASL_MECHANISM needs both KAFKA_USERNAME and KAFKA_PASSWORD',
    ],
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL must be true or false'],
    [{ NOM_FORCES: 'wiltshire,atlantis' }, 'NOM_FORCES has unknown force codes: atlantis'],
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ KAFKA_PARTITIONS: '0' }, 'KAFKA_PARTITIONS must be an integer from 1'],
    [{ NOM_EVENT_STORE_SCHEMA: 'x; DROP TABLE y' }, 'NOM_EVENT_STORE_SCHEMA must be a lower-case identifier'],
    [{ NOM_TOPIC_PREFIX: 'a b' }, 'NOM_TOPIC_PREFIX may hold only'],
    [{ NOM_RATE_LIMIT: '0' }, 'NOM_RATE_LIMIT must be an integer from 1'],
    [{ NOM_RATE_LIMIT_WINDOW_MS: '10' }, 'NOM_RATE_LIMIT_WINDOW_MS must be an integer from 1000'],
    [{ NOM_KPI_SUPPRESSION_THRESHOLD: '0' }, 'NOM_KPI_SUPPRESSION_THRESHOLD must be an integer from 1'],
    [{ NOM_PROJECTION_ISOLATION: 'cluster' }, 'NOM_PROJECTION_ISOLATION must be schema or database'],
    [{ NOM_PROJECTION_DROP_OLD_BUILD: 'yes' }, 'NOM_PROJECTION_DROP_OLD_BUILD must be true or false'],
    [{ NOM_IDEMPOTENCY_TTL_HOURS: '0' }, 'NOM_IDEMPOTENCY_TTL_HOURS must be an integer from 1'],
    [{ NOM_METRICS_TOKEN: 'short' }, 'NOM_METRICS_TOKEN must be at least 32 characters'],
    [{ NOM_METRICS_REFRESH_MS: '10' }, 'NOM_METRICS_REFRESH_MS must be an integer from 100'],
  ])('refuses %p with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
