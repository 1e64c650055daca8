import { randomBytes } from 'node:crypto';
import { readEnvironment, type RawEnvironment } from '#platform';
import { quickStartMode as modeOf } from '../src/quick-start-mode.js';

/** The quick start's mode of these variables, read through the configuration schema as the quick start reads them. */
const quickStartMode = (raw: RawEnvironment, identityProvider: boolean): ReturnType<typeof modeOf> =>
  modeOf(readEnvironment(raw), identityProvider);

describe(modeOf.name, () => {
  const keys = {
    NOM_KEK: randomBytes(32).toString('base64'),
    NOM_MATCHING_KEY: randomBytes(32).toString('base64'),
    NOM_AUDIT_SIGNING_KEY: 's',
  };
  const real = { DATABASE_URL: 'postgres://db/nom', ...keys };

  it('embedded: the local issuer on loopback, the demo and generated keys', () => {
    expect(quickStartMode({}, false)).toEqual({ embedded: true, devTokens: true, host: '127.0.0.1', demo: true, warnings: [] });
  });

  it('embedded with an identity provider: no local issuer, every interface', () => {
    expect(quickStartMode({}, true)).toMatchObject({ devTokens: false, host: undefined, demo: true });
  });

  it('a real database without an identity provider: refuses to start, naming the variables', () => {
    expect(() => quickStartMode(real, false)).toThrow(
      /no identity provider: set NOM_AUTH_JWKS_URL .*NOM_AUTH_ISSUERS.*NOM_DEV_TOKENS=true/,
    );
    expect(() => quickStartMode({ ...real, KAFKA_BROKERS: 'kafka:9092' }, false)).toThrow('no identity provider');
  });

  it('a real database with an identity provider: no local issuer, no demo, keys required', () => {
    expect(quickStartMode(real, true)).toEqual({ embedded: false, devTokens: false, host: undefined, demo: false, warnings: [] });
    expect(() => quickStartMode({ DATABASE_URL: 'postgres://db/nom', NOM_KEK: keys.NOM_KEK }, true)).toThrow(
      'NOM_MATCHING_KEY, NOM_AUDIT_SIGNING_KEY required with DATABASE_URL',
    );
  });

  it('a real database with NOM_DEV_TOKENS=true: the local issuer on loopback, with a warning; no demo', () => {
    const mode = quickStartMode({ ...real, NOM_DEV_TOKENS: 'true' }, false);
    expect(mode).toMatchObject({ embedded: false, devTokens: true, host: '127.0.0.1', demo: false });
    expect(mode.warnings).toEqual([expect.stringContaining('WARNING: NOM_DEV_TOKENS=true')]);
    expect(() => quickStartMode({ ...real, NOM_DEV_TOKENS: 'true' }, true)).toThrow('unset one');
    expect(() => quickStartMode({ ...real, NOM_DEV_TOKENS: 'yes' }, false)).toThrow('NOM_DEV_TOKENS must be true or false');
  });
});
