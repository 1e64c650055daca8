import * as oidc from 'openid-client';
import { decodeJwt, type JWTPayload } from 'jose';
import type { PendingSignIn, SignedInUser } from './session.js';

/** The identity provider the console signs people in with (OIDC authorization code flow with PKCE). */
export interface IdentityProviderSettings {
  /** The issuer URL, whose `/.well-known/openid-configuration` is read once. */
  readonly issuer: string;
  readonly clientId: string;
  /** A confidential client's secret; without one the console is a public client (PKCE alone). */
  readonly clientSecret?: string;
  /** `http://` issuers are accepted only on a loopback address (the quick start's local issuer). */
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
export const isLoopback = (url: URL): boolean => LOOPBACK.has(url.hostname);

/**
 * openid-client (a certified relying party) does the protocol: discovery, PKCE S256, state and nonce, the code
 * exchange and the ID token's checks. The console only keeps the pending values in its server-side session.
 */
export class SignIn {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly settings: () => IdentityProviderSettings,
    private readonly redirectUri: () => string,
    private readonly now: () => number,
  ) {}

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined; // try again on the next sign-in
      throw error;
    });
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings();
    const url = new URL(issuer);
    if (url.protocol !== 'https:' && !isLoopback(url))
      throw new Error(`the identity provider ${issuer} must be https (http only on a loopback address)`);
    const auth = clientSecret ? oidc.ClientSecretPost(clientSecret) : oidc.None();
    return oidc.discovery(url, clientId, undefined, auth, url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined);
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { codeVerifier, state: oidc.randomState(), nonce: oidc.randomNonce(), startedAt: this.now() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(),
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** The browser is back with a code: exchange it (checking state, nonce and the verifier) for the user's tokens. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInUser> {
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    const idClaims: Record<string, unknown> = tokens.claims() ?? {};
    // The backbone's claims (ADR 0006): from the ID token, else from the access token the API will verify itself.
    const accessClaims: JWTPayload = safeDecode(tokens.access_token);
    const claim = (name: string): unknown => idClaims[name] ?? accessClaims[name];
    const force = claim('nom_force');
    const roles = claim('nom_roles');
    if (typeof force !== 'string' || !Array.isArray(roles))
      throw new Error('the identity provider did not say the force and roles (nom_force, nom_roles)');
    const expiresIn = tokens.expiresIn() ?? 3600;
    return {
      officerId: typeof idClaims['sub'] === 'string' ? idClaims['sub'] : (accessClaims.sub ?? 'unknown'),
      force,
      roles: roles.map(String),
      accessToken: tokens.access_token,
      expiresAt: this.now() + expiresIn * 1000,
    };
  }
}

function safeDecode(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch {
    return {};
  }
}
