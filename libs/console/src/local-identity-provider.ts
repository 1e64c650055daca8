import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import { FORCE_CODES, NATIONAL, isForceCode } from '#contracts';
import { ROLES, type LocalTokenIssuer, type Role } from '#platform';
import { CONSOLE_PATHS } from './paths.js';

interface Grant {
  readonly identity: { force: (typeof FORCE_CODES)[number] | typeof NATIONAL; officerId: string; roles: Role[] };
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  readonly expiresAt: number;
}

export interface LocalIdentityProviderOptions {
  /** The local issuer (read at each use: a test's backbone makes it after the routes are mounted). */
  readonly issuer: () => LocalTokenIssuer;
  /** This provider's own URL (`<server>/dev/oidc`): the `iss` of its ID tokens and the base of its endpoints. */
  readonly url: () => string;
  /** The one client it serves, and the one redirect URI it sends codes to. */
  readonly client: { readonly id: string; readonly redirectUri: () => string };
  readonly now: () => number;
}

const CODE_TTL_MS = 60_000;

/**
 * The quick start's local sign-in (ADR 0020, ADR 0040): the smallest OpenID provider the console's authorization code
 * flow with PKCE needs (discovery, authorize, token, JWKS), issuing the local issuer's tokens for whichever force and
 * roles the person picks. Like `POST /dev/tokens` it exists only where the local issuer is mounted: the embedded quick
 * start (or NOM_DEV_TOKENS=true), listening on 127.0.0.1 alone. One client, one exact redirect URI, S256 only,
 * single-use codes that live a minute.
 */
export function localIdentityProvider(options: LocalIdentityProviderOptions): Router {
  const grants = new Map<string, Grant>();
  const views = new nunjucks.Environment(new nunjucks.FileSystemLoader([CONSOLE_PATHS.views, CONSOLE_PATHS.govukDist]), {
    autoescape: true,
  });
  const router = express.Router();
  router.use((_req, res, next) => {
    res.locals['cspNonce'] = randomBytes(16).toString('base64');
    next();
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: [(_req, res) => `'nonce-${String((res as express.Response).locals['cspNonce'])}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/.well-known/openid-configuration', (_req, res) => {
    const base = options.url();
    res.json({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid'],
    });
  });
  router.get('/jwks', (_req, res, next) => {
    options
      .issuer()
      .jwks()
      .then((jwks) => res.json(jwks), next);
  });

  const refuse = (res: express.Response, reason: string): void => {
    res.status(400).type('text/plain').send(`refused: ${reason}`);
  };
  const requestOf = (source: Record<string, unknown>): { ok: true; value: Record<string, string> } | { ok: false; reason: string } => {
    const get = (name: string): string => (typeof source[name] === 'string' ? source[name] : '');
    if (get('client_id') !== options.client.id) return { ok: false, reason: 'unknown client_id' };
    if (get('redirect_uri') !== options.client.redirectUri()) return { ok: false, reason: 'redirect_uri is not the registered one' };
    if (get('response_type') !== 'code') return { ok: false, reason: 'response_type must be code' };
    if (get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(get('code_challenge')))
      return { ok: false, reason: 'PKCE with S256 is required' };
    const value = Object.fromEntries(
      ['client_id', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method', 'state', 'nonce', 'scope'].map((k) => [
        k,
        get(k),
      ]),
    );
    return { ok: true, value };
  };

  router.get('/authorize', (req, res) => {
    const request = requestOf(req.query);
    if (!request.ok) return refuse(res, request.reason);
    res.type('html').send(
      views.render('local-sign-in.njk', {
        params: request.value,
        forces: [NATIONAL, ...FORCE_CODES],
        roles: ROLES,
        cspNonce: res.locals['cspNonce'] as string,
        assetPath: '/console/assets/govuk/assets',
        assets: '/console/assets',
      }),
    );
  });

  router.post('/authorize', (req, res) => {
    const body = req.body as Record<string, unknown>;
    const request = requestOf(body);
    if (!request.ok) return refuse(res, request.reason);
    const force = body['force'];
    const officerId = typeof body['officerId'] === 'string' ? body['officerId'].trim() : '';
    const roles = ([] as unknown[])
      .concat(body['roles'] ?? [])
      .filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
    if (!(isForceCode(force) || force === NATIONAL) || !/^[A-Za-z0-9-]{2,32}$/.test(officerId) || roles.length === 0) {
      return refuse(res, 'choose a force, an officer id (2 to 32 letters, digits or hyphens) and at least one role');
    }
    const code = randomBytes(32).toString('base64url');
    const { value } = request;
    grants.set(code, {
      identity: { force, officerId, roles },
      clientId: value['client_id']!,
      redirectUri: value['redirect_uri']!,
      codeChallenge: value['code_challenge']!,
      ...(value['nonce'] ? { nonce: value['nonce'] } : {}),
      expiresAt: options.now() + CODE_TTL_MS,
    });
    const target = new URL(value['redirect_uri']!);
    target.searchParams.set('code', code);
    if (value['state']) target.searchParams.set('state', value['state']);
    res.redirect(303, target.href);
  });

  router.post('/token', (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    const code = typeof body['code'] === 'string' ? body['code'] : '';
    const grant = grants.get(code);
    grants.delete(code); // single use, whatever happens next
    const error = (description: string): void => {
      res.status(400).json({ error: 'invalid_grant', error_description: description });
    };
    if (body['grant_type'] !== 'authorization_code') return void res.status(400).json({ error: 'unsupported_grant_type' });
    if (!grant || grant.expiresAt < options.now()) return error('unknown or expired code');
    if (body['client_id'] !== grant.clientId || body['redirect_uri'] !== grant.redirectUri) return error('client or redirect_uri differs');
    const verifier = typeof body['code_verifier'] === 'string' ? body['code_verifier'] : '';
    const challenge = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
    const expected = Buffer.from(grant.codeChallenge);
    if (challenge.length !== expected.length || !timingSafeEqual(challenge, expected)) return error('code_verifier does not match');
    Promise.all([
      options.issuer().issue(grant.identity),
      options
        .issuer()
        .idToken(grant.identity, { issuer: options.url(), clientId: grant.clientId, ...(grant.nonce ? { nonce: grant.nonce } : {}) }),
    ]).then(([accessToken, idToken]) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600 });
    }, next);
  });
  return router;
}
