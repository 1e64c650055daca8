import request from 'supertest';
import { LocalTokenIssuer } from '#platform';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';

/**
 * Identity per issuer over HTTP (issue 12, item 9): the backbone configured with one identity provider per force and a
 * national one (NOM_AUTH_ISSUERS) answers 401 to a token of force A's provider claiming force B or the national scope,
 * and to a token living longer than NOM_AUTH_MAX_TOKEN_LIFETIME_S; the provider's own force passes.
 */
describe('identity per issuer, over HTTP', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let avon: LocalTokenIssuer;
  let national: LocalTokenIssuer;

  beforeAll(async () => {
    avon = await LocalTokenIssuer.create('https://idp.avon-somerset.example', 'nom-backbone');
    national = await LocalTokenIssuer.create('https://idp.nom.example', 'nom-backbone');
    const issuers = {
      [avon.issuer]: { forces: ['avon-somerset'], publicKey: await avon.publicKeyPem() },
      [national.issuer]: { forces: ['national'], publicKey: await national.publicKeyPem() },
    };
    backbone = await startBackbone(['avon-somerset', 'wiltshire'], undefined, {
      NOM_AUTH_ISSUERS: JSON.stringify(issuers),
      NOM_AUTH_MAX_TOKEN_LIFETIME_S: '1800',
    });
    http = request(backbone.app.getHttpServer());
  });

  afterAll(async () => {
    await backbone?.close();
  });

  const call = (path: string, token: string) => http.get(path).set('Authorization', `Bearer ${token}`);

  it("accepts the provider's own force and refuses its claim of another force or of the national scope (401)", async () => {
    await call(
      '/forces/avon-somerset/case-summaries',
      await avon.issue({ force: 'avon-somerset', officerId: 'AS-1', roles: ['officer'] }, 900),
    ).expect(200);
    const otherForce = await call(
      '/forces/wiltshire/case-summaries',
      await avon.issue({ force: 'wiltshire', officerId: 'WI-1', roles: ['officer'] }, 900),
    ).expect(401);
    expect(otherForce.body).toMatchObject({ status: 401, detail: `issuer ${avon.issuer} is not trusted for nom_force wiltshire` });
    const nationalScope = await call(
      '/national/forces',
      await avon.issue({ force: 'national', officerId: 'NT-1', roles: ['national-team'] }, 900),
    ).expect(401);
    expect(nationalScope.body.detail).toBe(`issuer ${avon.issuer} is not trusted for nom_force national`);
    // The national provider's own scope passes; the test backbone's own local issuer is not configured here: refused.
    await call('/national/forces', await national.issue({ force: 'national', officerId: 'NT-1', roles: ['national-team'] }, 900)).expect(
      200,
    );
    await call('/forces/avon-somerset/case-summaries', await backbone.token('avon-somerset', ['officer'])).expect(401);
  });

  it('refuses a token living longer than the maximum (401)', async () => {
    const long = await call(
      '/forces/avon-somerset/case-summaries',
      await avon.issue({ force: 'avon-somerset', officerId: 'AS-1', roles: ['officer'] }, 3600),
    ).expect(401);
    expect(long.body.detail).toBe('invalid bearer token: a lifetime of 3600 s exceeds the maximum of 1800 s');
  });
});
