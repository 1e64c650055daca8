import { createHash } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { LocalTokenIssuer } from '#platform';
import { localIdentityProvider } from '../src/local-identity-provider.js';

const REDIRECT = 'http://127.0.0.1:3000/console/callback';
const verifier = 'a'.repeat(43) + 'verifier-of-this-test';
const challenge = createHash('sha256').update(verifier).digest('base64url');
const authorization = {
  client_id: 'nom-console',
  redirect_uri: REDIRECT,
  response_type: 'code',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 's1',
  nonce: 'n1',
};

describe(localIdentityProvider.name, () => {
  let app: express.Express;
  let now = 1_800_000_000_000;

  beforeAll(async () => {
    const issuer = await LocalTokenIssuer.create();
    app = express();
    app.use(
      '/dev/oidc',
      localIdentityProvider({
        issuer: () => issuer,
        url: () => 'http://127.0.0.1:3000/dev/oidc',
        client: { id: 'nom-console', redirectUri: () => REDIRECT },
        now: () => now,
      }),
    );
  });

  const code = async (): Promise<string> => {
    const res = await request(app)
      .post('/dev/oidc/authorize')
      .type('form')
      .send({ ...authorization, force: 'wiltshire', officerId: 'WI-1', roles: 'officer' })
      .expect(303);
    const location = new URL(res.headers['location'] as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('s1');
    return location.searchParams.get('code')!;
  };
  const exchange = (c: string, codeVerifier = verifier) =>
    request(app)
      .post('/dev/oidc/token')
      .type('form')
      .send({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, client_id: 'nom-console', code_verifier: codeVerifier });

  it('gives a code for the registered client and redirect URI only, with PKCE S256', async () => {
    await request(app).get('/dev/oidc/authorize').query(authorization).expect(200);
    await request(app)
      .get('/dev/oidc/authorize')
      .query({ ...authorization, redirect_uri: 'https://evil.example/cb' })
      .expect(400);
    await request(app)
      .get('/dev/oidc/authorize')
      .query({ ...authorization, client_id: 'other' })
      .expect(400);
    await request(app)
      .get('/dev/oidc/authorize')
      .query({ ...authorization, code_challenge_method: 'plain' })
      .expect(400);
  });

  it('exchanges a code once, with its verifier, for the local issuer tokens with the nonce', async () => {
    const c = await code();
    const res = await exchange(c).expect(200);
    const body = res.body as { access_token: string; id_token: string };
    expect(decodeJwt(body.access_token)).toMatchObject({
      nom_force: 'wiltshire',
      nom_roles: ['officer'],
      sub: 'WI-1',
      iss: 'urn:uk:police:nom:local-issuer',
    });
    expect(decodeJwt(body.id_token)).toMatchObject({ nonce: 'n1', aud: 'nom-console', iss: 'http://127.0.0.1:3000/dev/oidc' });
    await exchange(c).expect(400); // single use
  });

  it('refuses a wrong verifier (and the code is spent) and an expired code', async () => {
    const c = await code();
    expect((await exchange(c, 'b'.repeat(64))).body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match' });
    expect((await exchange(c)).status).toBe(400);
    const late = await code();
    now += 61_000;
    expect((await exchange(late)).body).toEqual({ error: 'invalid_grant', error_description: 'unknown or expired code' });
  });
});
