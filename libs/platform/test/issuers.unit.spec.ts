import { SignJWT } from 'jose';
import { ConfigError, loadConfig } from '../src/config.js';
import { LocalTokenIssuer, TokenVerifier, UnauthenticatedError } from '../src/identity.js';

/**
 * Identity per issuer (issue 12, item 9): a force claim is accepted only from an issuer trusted for that force,
 * `national` only from the national issuer; JWKS only over HTTPS; a token may not live longer than configured.
 */
describe('identity per issuer', () => {
  let avon: LocalTokenIssuer;
  let wiltshire: LocalTokenIssuer;
  let national: LocalTokenIssuer;
  let verifier: TokenVerifier;
  const officer = (force: 'avon-somerset' | 'wiltshire') => ({ force, officerId: 'XX-1', roles: ['officer' as const] });
  const nationalTeam = { force: 'national' as const, officerId: 'NT-1', roles: ['national-team' as const] };

  beforeAll(async () => {
    avon = await LocalTokenIssuer.create('https://idp.avon-somerset.police.uk', 'nom-backbone');
    wiltshire = await LocalTokenIssuer.create('https://idp.wiltshire.police.uk', 'nom-backbone');
    national = await LocalTokenIssuer.create('https://idp.nom.police.uk', 'nom-backbone');
    const issuers = {
      [avon.issuer]: { forces: ['avon-somerset'], publicKey: await avon.publicKeyPem() },
      [wiltshire.issuer]: { forces: ['wiltshire'], publicKey: await wiltshire.publicKeyPem() },
      [national.issuer]: { forces: ['national'], publicKey: await national.publicKeyPem() },
    };
    verifier = await TokenVerifier.fromConfig(loadConfig({ NOM_AUTH_ISSUERS: JSON.stringify(issuers) }).auth);
  });

  it("accepts each issuer's own force, and national from the national issuer", async () => {
    await expect(verifier.verify(await avon.issue(officer('avon-somerset')))).resolves.toEqual(officer('avon-somerset'));
    await expect(verifier.verify(await wiltshire.issue(officer('wiltshire')))).resolves.toEqual(officer('wiltshire'));
    await expect(verifier.verify(await national.issue(nationalTeam))).resolves.toEqual(nationalTeam);
  });

  it("refuses a token from force A's issuer claiming force B, and national from a force's issuer", async () => {
    await expect(verifier.verify(await avon.issue(officer('wiltshire')))).rejects.toThrow('is not trusted for nom_force wiltshire');
    await expect(verifier.verify(await wiltshire.issue(officer('avon-somerset')))).rejects.toThrow(
      'is not trusted for nom_force avon-somerset',
    );
    await expect(verifier.verify(await avon.issue(nationalTeam))).rejects.toThrow('is not trusted for nom_force national');
    // The national issuer vouches for the national team, not for a force.
    await expect(verifier.verify(await national.issue(officer('avon-somerset')))).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a token signed by one issuer under the name of another', async () => {
    // Signed with avon's key but naming wiltshire's issuer: the key checked is wiltshire's, so the signature fails.
    const forged = await LocalTokenIssuer.create(wiltshire.issuer, 'nom-backbone');
    await expect(verifier.verify(await forged.issue(officer('wiltshire')))).rejects.toThrow(/signature/);
    const stranger = await LocalTokenIssuer.create('https://idp.elsewhere.example', 'nom-backbone');
    await expect(verifier.verify(await stranger.issue(officer('wiltshire')))).rejects.toThrow('not a trusted issuer');
  });

  it('holds a single issuer to the forces named in NOM_AUTH_ISSUER_FORCES', async () => {
    const single = await TokenVerifier.fromConfig(
      loadConfig({ NOM_AUTH_ISSUER: avon.issuer, NOM_AUTH_PUBLIC_KEY: await avon.publicKeyPem(), NOM_AUTH_ISSUER_FORCES: 'avon-somerset' })
        .auth,
    );
    await expect(single.verify(await avon.issue(officer('avon-somerset')))).resolves.toEqual(officer('avon-somerset'));
    await expect(single.verify(await avon.issue(officer('wiltshire')))).rejects.toThrow('is not trusted for nom_force wiltshire');
    await expect(single.verify(await avon.issue(nationalTeam))).rejects.toThrow('is not trusted for nom_force national');
  });

  it('refuses a token that lives longer than NOM_AUTH_MAX_TOKEN_LIFETIME_S, or has no iat', async () => {
    const key = await avon.publicKeyPem();
    const env = {
      NOM_AUTH_ISSUER: avon.issuer,
      NOM_AUTH_PUBLIC_KEY: key,
      NOM_AUTH_ISSUER_FORCES: 'avon-somerset',
      NOM_AUTH_MAX_TOKEN_LIFETIME_S: '900',
    };
    const capped = await TokenVerifier.fromConfig(loadConfig(env).auth);
    await expect(capped.verify(await avon.issue(officer('avon-somerset'), 900))).resolves.toEqual(officer('avon-somerset'));
    await expect(capped.verify(await avon.issue(officer('avon-somerset'), 901))).rejects.toThrow(
      'lifetime of 901 s exceeds the maximum of 900 s',
    );
    const noIat = await avon.sign(
      new SignJWT({ nom_force: 'avon-somerset', nom_roles: ['officer'] }).setSubject('AS-1').setExpirationTime('10m'),
    );
    await expect(capped.verify(noIat)).rejects.toThrow(/iat/);
    // The default maximum is an hour.
    expect(loadConfig({}).auth.maxTokenLifetimeSeconds).toBe(3600);
  });

  it('refuses a JWKS URL that is not HTTPS at start (loopback excepted), and a single issuer with no forces', () => {
    const forces = { NOM_AUTH_ISSUER_FORCES: 'avon-somerset' };
    expect(() => loadConfig({ ...forces, NOM_AUTH_JWKS_URL: 'http://idp.avon-somerset.police.uk/jwks' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...forces, NOM_AUTH_JWKS_URL: 'http://idp.avon-somerset.police.uk/jwks' })).toThrow(
      'NOM_AUTH_JWKS_URL must be an https:// URL',
    );
    expect(() =>
      loadConfig({ NOM_AUTH_ISSUERS: JSON.stringify({ x: { forces: ['wiltshire'], jwksUrl: 'http://idp.example/jwks' } }) }),
    ).toThrow('must be an https:// URL');
    expect(loadConfig({ ...forces, NOM_AUTH_JWKS_URL: 'https://idp.avon-somerset.police.uk/jwks' }).auth.issuers).toHaveLength(1);
    expect(loadConfig({ ...forces, NOM_AUTH_JWKS_URL: 'http://127.0.0.1:8443/jwks' }).auth.issuers).toHaveLength(1);
    expect(() => loadConfig({ NOM_AUTH_JWKS_URL: 'https://idp.avon-somerset.police.uk/jwks' })).toThrow('NOM_AUTH_ISSUER_FORCES');
    expect(() =>
      loadConfig({ NOM_AUTH_ISSUERS: JSON.stringify({ x: { forces: ['atlantis'], jwksUrl: 'https://idp.example/jwks' } }) }),
    ).toThrow('atlantis');
  });
});
