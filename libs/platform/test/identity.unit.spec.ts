import { decodeJwt, SignJWT } from 'jose';
import { LocalTokenIssuer, TokenVerifier, UnauthenticatedError } from '../src/identity.js';

describe('bearer token verification', () => {
  let issuer: LocalTokenIssuer;
  beforeAll(async () => {
    issuer = await LocalTokenIssuer.create('urn:test:issuer', 'nom-backbone');
  });

  it('accepts a token from the issuer and returns the identity', async () => {
    const token = await issuer.issue({ force: 'durham', officerId: 'DU-1', roles: ['officer'] });
    await expect(issuer.verifier().verify(token)).resolves.toEqual({ force: 'durham', officerId: 'DU-1', roles: ['officer'] });
  });

  it('refuses another issuer, audience, an expired token, unknown roles and forces', async () => {
    const other = await LocalTokenIssuer.create('urn:test:other', 'nom-backbone');
    const wrongAudience = await LocalTokenIssuer.create('urn:test:issuer', 'elsewhere');
    const verifier = issuer.verifier();
    const identity = { force: 'durham' as const, officerId: 'DU-1', roles: ['officer' as const] };
    await expect(verifier.verify(await other.issue(identity))).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verifier.verify(await wrongAudience.issue(identity))).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verifier.verify(await issuer.issue(identity, -10))).rejects.toThrow(/exp/);
    await expect(verifier.verify(await issuer.issue({ ...identity, roles: ['god' as never] }))).rejects.toThrow('nom_roles');
    await expect(verifier.verify(await issuer.issue({ ...identity, force: 'atlantis' as never }))).rejects.toThrow('nom_force');
  });

  it('accepts the national scope with the national-team role, and the role only with the national scope', async () => {
    const verifier = issuer.verifier();
    const nationalTeam = { force: 'national' as const, officerId: 'NT-0001', roles: ['national-team' as const] };
    await expect(verifier.verify(await issuer.issue(nationalTeam))).resolves.toEqual(nationalTeam);
    // The national scope without the national team: refused, whatever the other roles.
    for (const roles of [[], ['administrator'], ['national-auditor']] as const) {
      await expect(verifier.verify(await issuer.issue({ ...nationalTeam, roles }))).rejects.toThrow(
        'nom_force national needs the national-team role',
      );
    }
    // The national team in a force: refused, alone or with the force's roles.
    for (const roles of [['national-team'], ['administrator', 'national-team']] as const) {
      await expect(verifier.verify(await issuer.issue({ force: 'durham', officerId: 'DU-1', roles }))).rejects.toThrow(
        'the national-team role needs nom_force national',
      );
    }
  });

  it('refuses an unsigned (alg none) or HMAC-signed token', async () => {
    const payload = { nom_force: 'durham', nom_roles: ['officer'] };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...payload, sub: 'x', iss: 'urn:test:issuer', aud: 'nom-backbone', exp: 4_000_000_000 }),
    ).toString('base64url')}.`;
    await expect(issuer.verifier().verify(unsigned)).rejects.toBeInstanceOf(UnauthenticatedError);
    const hmac = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('urn:test:issuer')
      .setAudience('nom-backbone')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    await expect(issuer.verifier().verify(hmac)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

describe('tokens of the local issuer', () => {
  it('live exactly their lifetime, iat and exp from one instant, even at the end of a second (its verifier accepts them)', async () => {
    const issuer = await LocalTokenIssuer.create('urn:test:issuer', 'nom-backbone');
    const endOfSecond = Date.UTC(2026, 10, 3, 9, 0, 0) + 999;
    const officer = { force: 'durham' as const, roles: ['officer' as const], officerId: 'DU-1' };
    const access = decodeJwt(await issuer.issue(officer, 3600, endOfSecond));
    const id = decodeJwt(await issuer.idToken(officer, { issuer: 'https://nom.test/', clientId: 'console' }, endOfSecond));
    for (const claims of [access, id]) expect({ iat: claims.iat, exp: claims.exp }).toEqual({ iat: 1793696400, exp: 1793696400 + 3600 });
    const verifier = new TokenVerifier(
      [{ issuer: issuer.issuer, key: issuer.publicKey, forces: new Set(['durham' as const]) }],
      'nom-backbone',
      3600,
      () => endOfSecond + 1,
    );
    await expect(verifier.verify(await issuer.issue(officer, 3600, endOfSecond))).resolves.toEqual(officer);
  });
});

describe('verified tokens kept in memory', () => {
  /** A token of `durham`'s officer valid from `iat` for `ttl` seconds, whatever the date the test runs. */
  const tokenAt = (issuer: LocalTokenIssuer, iat: number, ttl: number): Promise<string> =>
    issuer.sign(
      new SignJWT({ nom_force: 'durham', nom_roles: ['officer'] })
        .setSubject('DU-1')
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl),
    );

  /** The instant the tests' clocks start from (ms). */
  const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);
  /** A verifier trusting `issuer` for Durham, on the clock `now`. */
  const durhamVerifier = (issuer: LocalTokenIssuer, now: () => number): TokenVerifier =>
    new TokenVerifier([{ issuer: issuer.issuer, key: issuer.publicKey, forces: new Set(['durham' as const]) }], 'nom-backbone', 3600, now);

  it('checks a signature once for a minute, then again, and never answers past the expiry', async () => {
    const issuer = await LocalTokenIssuer.create('urn:test:issuer', 'nom-backbone');
    let now = T0;
    const verifier = durhamVerifier(issuer, () => now);
    const t0 = T0;
    const token = await tokenAt(issuer, t0 / 1000, 600);
    const durham = { force: 'durham', officerId: 'DU-1', roles: ['officer'] };
    await expect(verifier.verify(token)).resolves.toEqual(durham);
    now = t0 + 59_000;
    await expect(verifier.verify(token)).resolves.toEqual(durham);
    expect(verifier.stats()).toEqual({ verified: 1, cached: 1 });
    now = t0 + 60_000;
    await expect(verifier.verify(token)).resolves.toEqual(durham);
    expect(verifier.stats()).toEqual({ verified: 2, cached: 1 });
    now = t0 + 599_999;
    await expect(verifier.verify(token)).resolves.toEqual(durham);
    now = t0 + 600_000;
    await expect(verifier.verify(token)).rejects.toThrow(/exp/);
    await expect(verifier.verify(token)).rejects.toThrow(/exp/);
  });

  it('verifies a token differing by a byte on its own, and never keeps a refused one', async () => {
    const issuer = await LocalTokenIssuer.create('urn:test:issuer', 'nom-backbone');
    const t0 = T0;
    const verifier = durhamVerifier(issuer, () => t0);
    const token = await tokenAt(issuer, t0 / 1000, 600);
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), nom_roles: ['administrator'] })).toString('base64url')}.${token.split('.')[2]}`;
    expect(payload).not.toBe(forged.split('.')[1]);
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(verifier.stats()).toEqual({ verified: 1, cached: 0 });
  });
});
