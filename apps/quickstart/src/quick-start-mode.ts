import { ConfigError, type Environment } from '#platform';

/** What the quick start may do in this environment: decided once, before anything is started or written. */
export interface QuickStartMode {
  /** No DATABASE_URL: the embedded PostgreSQL, with data (and generated keys) under NOM_DATA_DIR. */
  readonly embedded: boolean;
  /** Mount the local token issuer (`POST /dev/tokens`: any force, any role). */
  readonly devTokens: boolean;
  /** The address the HTTP server listens on: loopback whenever the local issuer is mounted; else every interface. */
  readonly host: string | undefined;
  /** Seed the demo investigations, and generate the KEK, matching and signing keys into NOM_DATA_DIR. */
  readonly demo: boolean;
  /** Printed at every start. */
  readonly warnings: readonly string[];
}

const KEYS = ['NOM_KEK', 'NOM_MATCHING_KEY', 'NOM_AUDIT_SIGNING_KEY'] as const;

/**
 * The local token issuer and the demo belong to the embedded quick start, on one machine: with a real database it is a
 * deployment, which must name its identity provider and its keys. `NOM_DEV_TOKENS=true` is the one way to get the
 * issuer on a real database (development against a local server), and it is said loudly at every start.
 */
export function quickStartMode(
  env: Pick<Environment, 'DATABASE_URL' | 'NOM_DEV_TOKENS' | (typeof KEYS)[number]>,
  identityProvider: boolean,
): QuickStartMode {
  const embedded = !env.DATABASE_URL;
  const optIn = env.NOM_DEV_TOKENS;
  if (optIn && identityProvider) throw new ConfigError('NOM_DEV_TOKENS=true and an identity provider are both set: unset one');
  if (!identityProvider && !embedded && !optIn) {
    throw new ConfigError(
      'no identity provider: set NOM_AUTH_JWKS_URL (https) or NOM_AUTH_PUBLIC_KEY with NOM_AUTH_ISSUER and NOM_AUTH_ISSUER_FORCES, or NOM_AUTH_ISSUERS. ' +
        'The local token issuer (POST /dev/tokens) serves only the embedded quick start (no DATABASE_URL), or, for development ' +
        'on a real database, NOM_DEV_TOKENS=true (loopback only)',
    );
  }
  if (!embedded) {
    const missing = KEYS.filter((name) => env[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        `${missing.join(', ')} required with DATABASE_URL: the quick start generates keys only for its embedded database`,
      );
    }
  }
  const devTokens = !identityProvider;
  const warnings =
    devTokens && !embedded
      ? [
          'WARNING: NOM_DEV_TOKENS=true: POST /dev/tokens issues a token for any force and any role, national included, to anyone who ' +
            'can reach it. Listening on 127.0.0.1 only. Never set it in a deployment.',
        ]
      : [];
  return { embedded, devTokens, host: devTokens ? '127.0.0.1' : undefined, demo: embedded, warnings };
}
