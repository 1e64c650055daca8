import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';

/**
 * Rate limits per caller (issue 5): a caller over its limit gets 429 problem+json with Retry-After, and every
 * other caller, in the same force or another, is unaffected. Refused probes (another force's path) count too.
 * The window is an hour, so nothing in the test can age out while it runs (no timing involved).
 */
describe('rate limits per caller', () => {
  const LIMIT = 5;
  let backbone: RunningBackbone;

  beforeAll(async () => {
    backbone = await startBackbone(['kent', 'essex'], [CasesApiModule], {
      NOM_RATE_LIMIT: String(LIMIT),
      NOM_RATE_LIMIT_WINDOW_MS: '3600000',
    });
  });
  afterAll(() => backbone.close());

  const get = (token: string, force: string) =>
    request(backbone.app.getHttpServer()).get(`/forces/${force}/cases/${randomUUID()}`).set('Authorization', `Bearer ${token}`);

  it('answers 429 to the caller over its limit only, with problem+json and Retry-After', async () => {
    const noisy = await backbone.token('kent', ['officer'], 'KE-0001');
    const colleague = await backbone.token('kent', ['officer'], 'KE-0002');
    const elsewhere = await backbone.token('essex', ['officer'], 'ES-0001');

    // Within the limit: the route answers (404: no such case), and says which policy applies.
    for (let i = 0; i < LIMIT - 1; i++) {
      const ok = await get(noisy, 'kent');
      expect(ok.status).toBe(404);
      expect(ok.headers['ratelimit-policy']).toBe(`${LIMIT};w=3600`);
    }
    // A refused probe of another force's path counts against the caller as well.
    expect((await get(noisy, 'essex')).status).toBe(404);

    const over = await get(noisy, 'kent');
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.body).toMatchObject({ type: 'urn:uk:police:nom:problem:too-many-requests', status: 429 });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Other callers keep their own counts: a colleague in the same force, and a caller of another force.
    expect((await get(colleague, 'kent')).status).toBe(404);
    expect((await get(elsewhere, 'essex')).status).toBe(404);
    // The same officer id in another force is another caller.
    expect((await get(await backbone.token('essex', ['officer'], 'KE-0001'), 'essex')).status).toBe(404);
    // And the noisy caller stays refused.
    expect((await get(noisy, 'kent')).status).toBe(429);
  });

  it('never counts an unauthenticated request against a caller', async () => {
    const caller = await backbone.token('kent', ['officer'], 'KE-0003');
    for (let i = 0; i < LIMIT + 2; i++) {
      expect(
        (await request(backbone.app.getHttpServer()).get(`/forces/kent/cases/${randomUUID()}`).set('Authorization', 'Bearer forged'))
          .status,
      ).toBe(401);
    }
    expect((await get(caller, 'kent')).status).toBe(404);
  });
});
