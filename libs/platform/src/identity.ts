import { createPublicKey } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import { FORCE_CODES, isForceCode, NATIONAL, type ForceCode, type National } from '#contracts';
import type { AuthConfig } from './auth-config.js';

/**
 * `national-team` authors the national operating model: it is the one role of the national scope, held only with
 * `nom_force: 'national'` (and a national identity always holds it). Every other role belongs to a force.
 */
export const ROLES = [
  'officer',
  'supervisor',
  'force-integration',
  'national-auditor',
  'researcher',
  'administrator',
  'national-team',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: from a verified token, never from a request body. */
export interface Identity {
  readonly officerId: string;
  /**
   * The caller's force, or `national` for the national team: it owns the national streams and no force's (past
   * the role check, the AuthGuard answers 404 on every `/forces/:force` route; the DecisionRunner refuses every
   * force's stream).
   */
  readonly force: ForceCode | National;
  readonly roles: readonly Role[];
}

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

const ALGORITHMS = ['ES256'];
/** How long a verified token is answered from memory at most, and how many are kept (the oldest goes first). */
const VERIFIED_SECONDS = 60;
const VERIFIED_TOKENS = 10_000;

/** An issuer as the verifier holds it: its key (or JWKS) and the `nom_force` values it may vouch for. */
export interface VerifyingIssuer {
  readonly issuer: string;
  readonly key: CryptoKey | JWTVerifyGetKey;
  readonly forces: ReadonlySet<ForceCode | National>;
}

/**
 * Verifies bearer tokens (OIDC-style JWTs): signature with the key of the issuer the token names (an issuer not
 * configured is refused), algorithm, audience, expiry, a lifetime (`exp - iat`) no longer than configured, and a
 * `nom_force` that this issuer is trusted for: a force's identity provider cannot speak for another force, and
 * `national` comes only from the issuer trusted for it.
 */
export class TokenVerifier {
  private readonly issuers: ReadonlyMap<string, VerifyingIssuer>;
  /** Tokens verified lately, by their exact text, with the instant (ms) until which each stands; oldest first. */
  private readonly verified = new Map<string, { readonly identity: Identity; readonly until: number }>();
  private readonly counts = { verified: 0, cached: 0 };

  /**
   * `now`: the clock (ms since the epoch) of every time check, the expiry included (jose's `currentDate`); the
   * system clock unless a test gives another.
   */
  constructor(
    issuers: readonly VerifyingIssuer[],
    private readonly audience: string,
    private readonly maxTokenLifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.issuers = new Map(issuers.map((i) => [i.issuer, i]));
  }

  /** Signatures checked, and tokens answered from the verified tokens instead (issue 14: ES256 cost 7% of a service's CPU). */
  stats(): { readonly verified: number; readonly cached: number } {
    return { ...this.counts };
  }

  static async fromConfig(auth: AuthConfig): Promise<TokenVerifier> {
    if (auth.issuers.length === 0) {
      throw new Error(
        'no identity provider: set NOM_AUTH_JWKS_URL or NOM_AUTH_PUBLIC_KEY with NOM_AUTH_ISSUER_FORCES, or NOM_AUTH_ISSUERS',
      );
    }
    const issuers = await Promise.all(
      auth.issuers.map(async (trusted) => ({
        issuer: trusted.issuer,
        forces: new Set(trusted.forces),
        key: trusted.jwksUrl ? createRemoteJWKSet(new URL(trusted.jwksUrl)) : await importSPKI(trusted.publicKeyPem ?? '', 'ES256'),
      })),
    );
    return new TokenVerifier(issuers, auth.audience, auth.maxTokenLifetimeSeconds);
  }

  /** For processes with only public routes: every token is refused. */
  static refusingAll(): TokenVerifier {
    return new TokenVerifier([], 'none', 0);
  }

  /**
   * The identity of a bearer token, or UnauthenticatedError. A token verified in the last VERIFIED_SECONDS is
   * answered from memory, by its exact text, until that time or its expiry, whichever comes first: a client sends the
   * same token with every request, and the same bytes verify the same way. The claims are checked once, the expiry
   * on every use; a refused token is never remembered. A key withdrawn from an issuer's JWKS stops its tokens within
   * VERIFIED_SECONDS (jose's JWKS cache keeps a key for minutes in any case).
   */
  async verify(token: string): Promise<Identity> {
    const at = this.now();
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (at < known.until) {
        this.counts.cached += 1;
        return known.identity;
      }
      this.verified.delete(token);
    }
    const { identity, exp } = await this.verifyToken(token, at);
    this.counts.verified += 1;
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { identity, until: Math.min(exp * 1000, at + VERIFIED_SECONDS * 1000) });
    return identity;
  }

  private async verifyToken(token: string, at: number): Promise<{ readonly identity: Identity; readonly exp: number }> {
    let claimed: string | undefined;
    try {
      claimed = decodeJwt(token).iss;
    } catch (error) {
      throw new UnauthenticatedError(`invalid bearer token: ${(error as Error).message}`);
    }
    const trusted = claimed === undefined ? undefined : this.issuers.get(claimed);
    if (!trusted) throw new UnauthenticatedError(`invalid bearer token: ${JSON.stringify(claimed ?? null)} is not a trusted issuer`);
    let payload: Record<string, unknown>;
    try {
      const options = {
        issuer: trusted.issuer,
        audience: this.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(at),
      };
      const verified = await (typeof trusted.key === 'function'
        ? jwtVerify(token, trusted.key, options)
        : jwtVerify(token, trusted.key, options));
      payload = verified.payload;
    } catch (error) {
      throw new UnauthenticatedError(`invalid bearer token: ${(error as Error).message}`);
    }
    const lifetime = Number(payload['exp']) - Number(payload['iat']);
    if (!(lifetime <= this.maxTokenLifetimeSeconds)) {
      throw new UnauthenticatedError(
        `invalid bearer token: a lifetime of ${lifetime} s exceeds the maximum of ${this.maxTokenLifetimeSeconds} s`,
      );
    }
    const force = payload['nom_force'];
    const roles = payload['nom_roles'];
    if (force !== NATIONAL && !isForceCode(force)) throw new UnauthenticatedError('token has no valid nom_force claim');
    if (!trusted.forces.has(force)) throw new UnauthenticatedError(`issuer ${trusted.issuer} is not trusted for nom_force ${force}`);
    if (!Array.isArray(roles) || !roles.every((r) => (ROLES as readonly unknown[]).includes(r))) {
      throw new UnauthenticatedError('token has no valid nom_roles claim');
    }
    // The national scope and the national team go together: neither is ever granted without the other.
    const nationalTeam = roles.includes('national-team');
    if (force === NATIONAL && !nationalTeam)
      throw new UnauthenticatedError(`nom_force ${NATIONAL} needs the national-team role in nom_roles`);
    if (force !== NATIONAL && nationalTeam) throw new UnauthenticatedError(`the national-team role needs nom_force ${NATIONAL}`);
    const identity: Identity = Object.freeze({ officerId: String(payload['sub']), force, roles: Object.freeze([...(roles as Role[])]) });
    return { identity, exp: Number(payload['exp']) };
  }
}

/** `iat` and `exp` from one reading of the clock: the token lives exactly `ttlSeconds`. */
function withLifetime(token: SignJWT, now: number, ttlSeconds: number): SignJWT {
  const iat = Math.floor(now / 1000);
  return token.setIssuedAt(iat).setExpirationTime(iat + ttlSeconds);
}

/**
 * A local token issuer: for the quick start (so it runs with no outside identity provider) and for tests.
 * Production deployments verify tokens from the forces' own identity providers through NOM_AUTH_JWKS_URL.
 */
export class LocalTokenIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async create(issuer = 'urn:uk:police:nom:local-issuer', audience = 'nom-backbone'): Promise<LocalTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return new LocalTokenIssuer(privateKey, publicKey, issuer, audience);
  }

  /**
   * An issuer with a key kept between starts (PKCS#8 PEM, P-256): the dev issuer of the Compose stack, whose public
   * key the services hold.
   */
  static async fromPrivateKeyPem(
    pem: string,
    issuer = 'urn:uk:police:nom:local-issuer',
    audience = 'nom-backbone',
  ): Promise<LocalTokenIssuer> {
    const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
    const publicPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    return new LocalTokenIssuer(privateKey, await importSPKI(publicPem, 'ES256', { extractable: true }), issuer, audience);
  }

  publicKeyPem(): Promise<string> {
    return exportSPKI(this.publicKey);
  }

  /** The public key as a JWKS (RFC 7517), as an identity provider serves it: for the dev-only issuer (apps/dev-issuer). */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: [{ ...(await exportJWK(this.publicKey)), alg: 'ES256', use: 'sig' }] };
  }

  /** A verifier that trusts this issuer alone, for every force and the national team (the quick start, tests). */
  verifier(maxTokenLifetimeSeconds = 3600): TokenVerifier {
    return new TokenVerifier(
      [{ issuer: this.issuer, key: this.publicKey, forces: new Set([...FORCE_CODES, NATIONAL]) }],
      this.audience,
      maxTokenLifetimeSeconds,
    );
  }

  /**
   * `now` (ms since the epoch) is read once for `iat` and `exp`: jose's `setIssuedAt()` and `setExpirationTime('3600s')`
   * each read the clock, and when a second ended between the two the token lived 3,601 s, which the verifier refuses
   * from an issuer whose maximum is 3,600 (a test of every route met it as one 401 in a few hundred tokens).
   */
  issue(identity: Identity, ttlSeconds = 3600, now: number = Date.now()): Promise<string> {
    return this.sign(
      withLifetime(new SignJWT({ nom_force: identity.force, nom_roles: identity.roles }).setSubject(identity.officerId), now, ttlSeconds),
    );
  }

  /**
   * An OpenID Connect ID token for a relying party (the console), from the quick start's local sign-in (ADR 0040): the
   * backbone's claims, the RP's nonce, issued by the sign-in endpoint's own URL to the RP's client id, with this key.
   */
  idToken(
    identity: Identity,
    options: { issuer: string; clientId: string; nonce?: string; ttlSeconds?: number },
    now: number = Date.now(),
  ): Promise<string> {
    const token = new SignJWT({ nom_force: identity.force, nom_roles: identity.roles, ...(options.nonce ? { nonce: options.nonce } : {}) })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(identity.officerId)
      .setIssuer(options.issuer)
      .setAudience(options.clientId);
    return withLifetime(token, now, options.ttlSeconds ?? 3600).sign(this.privateKey);
  }

  /** Signs a token as this issuer (its `iss`, `aud` and key): for tests of tokens shaped otherwise. */
  sign(token: SignJWT): Promise<string> {
    return token.setProtectedHeader({ alg: 'ES256' }).setIssuer(this.issuer).setAudience(this.audience).sign(this.privateKey);
  }
}
