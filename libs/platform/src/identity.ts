import { createRemoteJWKSet, exportSPKI, generateKeyPair, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { isForceCode, NATIONAL, type ForceCode, type National } from '#contracts';

/**
 * `national-team` authors the national operating model: it is the one role of the national scope, held only with
 * `nom_force: 'national'` (and a national identity always holds it). Every other role belongs to a force.
 */
export const ROLES = ['officer', 'supervisor', 'force-integration', 'national-auditor', 'researcher', 'administrator', 'national-team'] as const;
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

/** Verifies bearer tokens (OIDC-style JWTs): signature, algorithm, issuer, audience, expiry. */
export class TokenVerifier {
  constructor(
    private readonly key: CryptoKey | JWTVerifyGetKey,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  static async fromConfig(auth: { issuer: string; audience: string; jwksUrl?: string; publicKeyPem?: string }): Promise<TokenVerifier> {
    if (auth.jwksUrl) return new TokenVerifier(createRemoteJWKSet(new URL(auth.jwksUrl)), auth.issuer, auth.audience);
    if (auth.publicKeyPem) return new TokenVerifier(await importSPKI(auth.publicKeyPem, 'ES256'), auth.issuer, auth.audience);
    throw new Error('no token verification key: set NOM_AUTH_JWKS_URL or NOM_AUTH_PUBLIC_KEY (the quick start makes its own)');
  }

  /** For processes with only public routes: every token is refused. */
  static refusingAll(): TokenVerifier {
    return new TokenVerifier(() => Promise.reject(new Error('this process accepts no tokens')), 'none', 'none');
  }

  async verify(token: string): Promise<Identity> {
    let payload: Record<string, unknown>;
    try {
      const verified = await (typeof this.key === 'function'
        ? jwtVerify(token, this.key, { issuer: this.issuer, audience: this.audience, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] })
        : jwtVerify(token, this.key, { issuer: this.issuer, audience: this.audience, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] }));
      payload = verified.payload;
    } catch (error) {
      throw new UnauthenticatedError(`invalid bearer token: ${(error as Error).message}`);
    }
    const force = payload['nom_force'];
    const roles = payload['nom_roles'];
    if (force !== NATIONAL && !isForceCode(force)) throw new UnauthenticatedError('token has no valid nom_force claim');
    if (!Array.isArray(roles) || !roles.every((r) => (ROLES as readonly unknown[]).includes(r))) {
      throw new UnauthenticatedError('token has no valid nom_roles claim');
    }
    // The national scope and the national team go together: neither is ever granted without the other.
    const nationalTeam = roles.includes('national-team');
    if (force === NATIONAL && !nationalTeam) throw new UnauthenticatedError(`nom_force ${NATIONAL} needs the national-team role in nom_roles`);
    if (force !== NATIONAL && nationalTeam) throw new UnauthenticatedError(`the national-team role needs nom_force ${NATIONAL}`);
    return { officerId: String(payload['sub']), force, roles: roles as Role[] };
  }
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

  publicKeyPem(): Promise<string> {
    return exportSPKI(this.publicKey);
  }

  verifier(): TokenVerifier {
    return new TokenVerifier(this.publicKey, this.issuer, this.audience);
  }

  issue(identity: Identity, ttlSeconds = 3600): Promise<string> {
    return new SignJWT({ nom_force: identity.force, nom_roles: identity.roles })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(identity.officerId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
  }
}
