import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { readEnvironment, VARIABLES } from '../src/config/environment.js';
import { renderConfigurationTable, renderEnvExample, withConfigurationTable } from '../src/config/reference.js';

describe('the configuration schema (ADR 0029)', () => {
  it("README.md's configuration table is generated from the schema (run `npm run docs`)", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withConfigurationTable(readme));
  });

  it('.env.example is generated from the schema (run `npm run docs`)', () => {
    expect(readFileSync('.env.example', 'utf8')).toBe(renderEnvExample());
  });

  it('lists every variable once in the table and in .env.example', () => {
    const table = renderConfigurationTable();
    for (const name of Object.keys(VARIABLES)) {
      expect(table.split('\n').filter((row) => row.startsWith(`| \`${name}\` |`))).toHaveLength(1);
      expect(
        renderEnvExample()
          .split('\n')
          .filter((line) => line.startsWith(`#${name}=`)),
      ).toHaveLength(1);
    }
  });

  it('names every service that reads a variable: the identity provider is read by the token-verifying services, not the relay', () => {
    expect(VARIABLES.NOM_AUTH_JWKS_URL.services).toEqual(
      expect.arrayContaining(['cases', 'suspects', 'victims', 'learning', 'projector', 'national', 'sealer']),
    );
    expect(VARIABLES.NOM_AUTH_JWKS_URL.services).not.toContain('relay');
    expect(VARIABLES.NOM_AUTH_AUDIENCE.services).toEqual(expect.arrayContaining([...VARIABLES.NOM_AUTH_JWKS_URL.services]));
    expect(VARIABLES.NOM_AUTH_AUDIENCE.services).not.toContain('relay');
    expect(VARIABLES.NOM_KEK.services).toEqual(
      expect.arrayContaining(['cases', 'suspects', 'victims', 'learning', 'process-manager', 'national', 'sealer']),
    );
    expect(VARIABLES.NOM_KEK.services).not.toContain('relay');
    expect(VARIABLES.NOM_KEK.services).not.toContain('projector');
  });

  it('marks keys, passwords and connection strings as secrets, which .env.example leaves blank', () => {
    const secrets = Object.entries(VARIABLES)
      .filter(([, v]) => v.secret)
      .map(([name]) => name);
    expect(secrets).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'KAFKA_PASSWORD',
        'NOM_KEK',
        'NOM_MATCHING_KEY',
        'NOM_AUDIT_SIGNING_KEY',
        'NOM_RESEARCH_KEY',
        'NOM_METRICS_TOKEN',
      ]),
    );
    for (const name of secrets) expect(renderEnvExample()).toContain(`\n#${name}=\n`);
  });

  it('refuses to start with one message listing every problem, never echoing a secret', () => {
    let error: unknown;
    try {
      readEnvironment({
        PORT: 'eighty',
        KAFKA_PARTITIONS: '0',
        NOM_KEK: 'not-a-key-but-secret',
        NOM_LOG_LEVEL: 'chatty',
        NOM_FORCES: 'atlantis',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^5 configuration problems:/);
    expect(message).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
    expect(message).toContain('KAFKA_PARTITIONS must be an integer from 1 to 1000, got "0"');
    expect(message).toContain('NOM_KEK must be 32 bytes, base64 encoded');
    expect(message).toContain('NOM_LOG_LEVEL must be fatal, error, warn, log, debug or verbose, got "chatty"');
    expect(message).toContain('NOM_FORCES has unknown force codes: atlantis');
    expect(message).not.toContain('not-a-key-but-secret');
  });

  it('checks the rules between variables once each variable is valid', () => {
    expect(() => readEnvironment({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_OAUTH_CLIENT_ID: 'nom-relay' })).toThrow(
      'KAFKA_SASL_MECHANISM=oauthbearer needs KAFKA_OAUTH_TOKEN_URL, KAFKA_OAUTH_CLIENT_SECRET',
    );
    expect(() => readEnvironment({ NOM_AUTH_PUBLIC_KEY: 'pem', NOM_AUTH_ISSUERS: '{}' })).toThrow('not both');
  });

  it('treats an empty variable as unset, so that an empty Compose value takes the default', () => {
    expect(readEnvironment({ PORT: '', NOM_AUTH_JWKS_URL: '', NOM_FORCES: ' ' })).toMatchObject({
      PORT: 3000,
      NOM_AUTH_JWKS_URL: undefined,
      NOM_FORCES: undefined,
    });
  });

  it('configures managed services: pool sizes, a Kafka CA file (TLS on), SASL OAUTHBEARER', () => {
    const config = loadConfig({
      NOM_PG_POOL_SIZE: '40',
      NOM_PROJECTOR_POOL_SIZE: '3',
      KAFKA_SSL_CA_FILE: '/etc/nom/kafka-ca.pem',
      KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      KAFKA_OAUTH_TOKEN_URL: 'https://idp.example/oauth2/token',
      KAFKA_OAUTH_CLIENT_ID: 'nom-relay',
      KAFKA_OAUTH_CLIENT_SECRET: 's3cret',
    });
    expect(config).toMatchObject({ pgPoolSize: 40, projectorPoolSize: 3, kafkaSsl: true, kafkaSslCaFile: '/etc/nom/kafka-ca.pem' });
    expect(config.kafkaSasl).toEqual({
      mechanism: 'oauthbearer',
      tokenUrl: 'https://idp.example/oauth2/token',
      clientId: 'nom-relay',
      clientSecret: 's3cret',
    });
    expect(loadConfig({})).toMatchObject({ pgPoolSize: 16, projectorPoolSize: 7, kafkaSsl: false, logLevel: 'log' });
  });
});
