import { FORCE_CODES, isForceCode, NATIONAL, type ForceCode, type National } from '#contracts';
import { ConfigError } from './config-error.js';

/** An identity provider the backbone trusts, and the only `nom_force` values it may vouch for. */
export interface TrustedIssuer {
  /** The `iss` its tokens carry. */
  readonly issuer: string;
  /** The forces (and `national`) whose officers it authenticates: a claim of any other force is refused. */
  readonly forces: readonly (ForceCode | National)[];
  /** Its JWKS (https://, or http:// on a loopback address only). */
  readonly jwksUrl?: string;
  /** Or its ES256 public key (PEM). */
  readonly publicKeyPem?: string;
}

export interface AuthConfig {
  /** NOM_AUTH_ISSUER: the single issuer's `iss`, and the name the quick start's and tests' local issuer signs with. */
  readonly issuer: string;
  readonly audience: string;
  /** Every issuer configured (empty: no identity provider; only the quick start may then issue its own tokens). */
  readonly issuers: readonly TrustedIssuer[];
  /** A token whose `exp - iat` exceeds this is refused (and one with no `iat`). */
  readonly maxTokenLifetimeSeconds: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Keys fetched over plain HTTP could be swapped by anyone on the path, and with them every identity. Loopback is
 * the one exception: traffic that never leaves the host has no such path (a JWKS served beside the process, in tests).
 */
function jwksUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return raw;
  throw new ConfigError(`${name} must be an https:// URL (http:// only on a loopback address), got ${JSON.stringify(raw)}`);
}

function forcesOf(list: readonly unknown[], name: string): (ForceCode | National)[] {
  const expanded = list.flatMap((f) => (f === 'all' ? FORCE_CODES : [f]));
  const unknown = expanded.filter((f) => f !== NATIONAL && !isForceCode(f));
  if (unknown.length > 0)
    throw new ConfigError(`${name} has unknown force codes: ${unknown.map(String).join(', ')} (force codes, 'all' or '${NATIONAL}')`);
  if (expanded.length === 0) throw new ConfigError(`${name} must name at least one force (force codes, 'all' or '${NATIONAL}')`);
  return [...new Set(expanded as (ForceCode | National)[])];
}

/** NOM_AUTH_ISSUERS: `{ "<iss>": { "forces": [...], "jwksUrl": "https://..." | "publicKey": "<PEM>" }, ... }`. */
export function issuersFromJson(raw: string): TrustedIssuer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('NOM_AUTH_ISSUERS must be a JSON object: {"<iss>": {"forces": ["<force>"], "jwksUrl": "https://…"}}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError('NOM_AUTH_ISSUERS must be a JSON object keyed by issuer');
  return Object.entries(parsed as Record<string, unknown>).map(([issuer, value]) => {
    const entry = (value ?? {}) as { forces?: unknown; jwksUrl?: unknown; publicKey?: unknown };
    const name = `NOM_AUTH_ISSUERS[${JSON.stringify(issuer)}]`;
    if (!Array.isArray(entry.forces)) throw new ConfigError(`${name}.forces must be a list of force codes`);
    if ((typeof entry.jwksUrl === 'string') === (typeof entry.publicKey === 'string'))
      throw new ConfigError(`${name} needs one of jwksUrl or publicKey`);
    return {
      issuer,
      forces: forcesOf(entry.forces, `${name}.forces`),
      ...(typeof entry.jwksUrl === 'string' ? { jwksUrl: jwksUrl(entry.jwksUrl, `${name}.jwksUrl`) } : {}),
      ...(typeof entry.publicKey === 'string' ? { publicKeyPem: entry.publicKey } : {}),
    };
  });
}

/** The identity providers of a parsed environment (the variables are checked one by one, and together, by readEnvironment). */
/** The identity variables of the parsed environment (config/environment.ts), named here to keep the import one-way. */
export interface IdentityVariables {
  readonly NOM_AUTH_ISSUER: string;
  readonly NOM_AUTH_AUDIENCE: string;
  readonly NOM_AUTH_ISSUERS?: TrustedIssuer[] | undefined;
  readonly NOM_AUTH_JWKS_URL?: string | undefined;
  readonly NOM_AUTH_PUBLIC_KEY?: string | undefined;
  readonly NOM_AUTH_ISSUER_FORCES?: (ForceCode | National)[] | undefined;
  readonly NOM_AUTH_MAX_TOKEN_LIFETIME_S: number;
}

export function authConfigOf(env: IdentityVariables): AuthConfig {
  const issuer = env.NOM_AUTH_ISSUER;
  let issuers: TrustedIssuer[] = env.NOM_AUTH_ISSUERS ?? [];
  if (!env.NOM_AUTH_ISSUERS && (env.NOM_AUTH_JWKS_URL || env.NOM_AUTH_PUBLIC_KEY)) {
    issuers = [
      {
        issuer,
        forces: env.NOM_AUTH_ISSUER_FORCES ?? [],
        ...(env.NOM_AUTH_JWKS_URL ? { jwksUrl: env.NOM_AUTH_JWKS_URL } : {}),
        ...(env.NOM_AUTH_PUBLIC_KEY && !env.NOM_AUTH_JWKS_URL ? { publicKeyPem: env.NOM_AUTH_PUBLIC_KEY } : {}),
      },
    ];
  }
  return { issuer, audience: env.NOM_AUTH_AUDIENCE, issuers, maxTokenLifetimeSeconds: env.NOM_AUTH_MAX_TOKEN_LIFETIME_S };
}
