import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import type { ForceCode } from '#contracts';
import { LearningApiModule } from '#learning-api';
import { ProjectorModule } from '#projections-api';
import { ReadModelsApiModule } from '#read-models-api';
import { RelayModule } from '#relay-runtime';
import { SuspectsApiModule } from '#suspects-api';
import { waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

const AVON = 'avon-somerset';
const MODULES = [CasesApiModule, SuspectsApiModule, LearningApiModule, RelayModule, ProjectorModule, ReadModelsApiModule];

/**
 * Issue 13 end to end (docs/disruption.md, docs/kpis.md "Workforce"): a flagged repeat suspect reviewed, then a
 * disruption decision (refused without the review); a DAPN's rank; a stalking protection order granted and breached
 * (refused before its grant); the caseload derived from assignments and accredited-investigator coverage from the
 * projected read model; every route refused to another force's caller, and to a role the route does not allow.
 */
describe('repeat suspects, disruption and workforce over HTTP', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let supervisor: string;
  let officer: string;
  let wilts: string;
  const cases: string[] = [];
  let suspectId: string;
  const suspectPath = (): string => `/forces/${AVON}/suspects/${suspectId}`;
  const accredited = `AS-ACC${Math.floor(Math.random() * 1e5)}`;
  const unaccredited = `AS-NAC${Math.floor(Math.random() * 1e5)}`;

  async function recordCase(reference: string): Promise<string> {
    const res = await http
      .post(`/forces/${AVON}/cases`)
      .set('Authorization', supervisor)
      .send({ crimeReference: reference, offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const caseId = res.body.caseId as string;
    await http.post(`/forces/${AVON}/cases/${caseId}/investigation`).set('Authorization', supervisor).expect(200);
    return caseId;
  }

  beforeAll(async () => {
    backbone = await startBackbone([AVON, 'wiltshire'] as ForceCode[], MODULES);
    http = request(backbone.app.getHttpServer());
    supervisor = `Bearer ${await backbone.token(AVON, ['officer', 'supervisor'], 'AS-SUP1')}`;
    officer = `Bearer ${await backbone.token(AVON, ['officer'], 'AS-4471')}`;
    wilts = `Bearer ${await backbone.token('wiltshire', ['officer', 'supervisor', 'administrator'], 'WI-SUP1')}`;
    for (const reference of ['AS/26/007001', 'AS/26/007002', 'AS/26/007003']) cases.push(await recordCase(reference));
    const identified = await http
      .post(`/forces/${AVON}/suspects`)
      .set('Authorization', supervisor)
      .send({ caseId: cases[0], name: 'Daniel Marsh' })
      .expect(201);
    suspectId = identified.body.suspectId as string;
  });

  afterAll(() => backbone.close());

  it('publishes the new routes in the OpenAPI document', async () => {
    const docs = await http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/forces/{force}/suspects/{suspectId}/repeat-suspect-flag/reviews',
        '/forces/{force}/suspects/{suspectId}/repeat-suspect-flag/disruption-decision',
        '/forces/{force}/suspects/{suspectId}/civil-orders/{orderId}/breaches',
        '/forces/{force}/caseload/accredited-coverage',
      ]),
    );
  });

  it('goes from a flag to a review to a disruption decision, and refuses a decision without a review', async () => {
    await http
      .post(`${suspectPath()}/repeat-suspect-flag`)
      .set('Authorization', officer)
      .send({ reason: 'Same PNC ID as a suspect in Wiltshire (PND match).', linkedCaseIds: [randomUUID()] })
      .expect(200);
    const early = await http
      .post(`${suspectPath()}/repeat-suspect-flag/disruption-decision`)
      .set('Authorization', supervisor)
      .send({ tactics: ['mappa-referral'] })
      .expect(409);
    expect(early.body.type).toMatch(/state\/repeat-flag-not-reviewed$/);

    // The review is a supervisor's: an officer alone is refused.
    await http
      .post(`${suspectPath()}/repeat-suspect-flag/reviews`)
      .set('Authorization', officer)
      .send({ summary: 'Escalating.' })
      .expect(403);
    const reviewId = randomUUID();
    const reviewed = await http
      .post(`${suspectPath()}/repeat-suspect-flag/reviews`)
      .set('Authorization', supervisor)
      .send({ reviewId, summary: 'Third report against him in two forces; escalating contact.' })
      .expect(200);
    expect(reviewed.body.flagReview).toEqual({ reviewId, decided: false });

    const noReason = await http
      .post(`${suspectPath()}/repeat-suspect-flag/disruption-decision`)
      .set('Authorization', supervisor)
      .send({ tactics: [] })
      .expect(422);
    expect(noReason.body.errors).toEqual([{ field: '/reason', reason: 'a decision to use no tactic records the reason' }]);
    await http
      .post(`${suspectPath()}/repeat-suspect-flag/disruption-decision`)
      .set('Authorization', supervisor)
      .send({ tactics: ['not-a-tactic'] })
      .expect(400);
    const decided = await http
      .post(`${suspectPath()}/repeat-suspect-flag/disruption-decision`)
      .set('Authorization', supervisor)
      .send({ tactics: ['stalking-protection-order', 'mappa-referral'] })
      .expect(200);
    expect(decided.body.flagReview).toEqual({ reviewId, decided: true });
    await http
      .post(`${suspectPath()}/repeat-suspect-flag/disruption-decision`)
      .set('Authorization', supervisor)
      .send({ tactics: ['visor-nominal-record'] })
      .expect(409);
  });

  it('records a DAPN only on an inspector’s authority', async () => {
    const low = await http
      .post(`${suspectPath()}/disruption-tactics`)
      .set('Authorization', supervisor)
      .send({ tactic: 'domestic-abuse-protection-notice', authorisedBy: { rank: 'sergeant' } })
      .expect(422);
    expect(low.body.errors).toEqual([
      { field: '/authorisedBy/rank', reason: 'a domestic-abuse-protection-notice is authorised by a inspector or above' },
    ]);
    await http
      .post(`${suspectPath()}/disruption-tactics`)
      .set('Authorization', supervisor)
      .send({ tactic: 'domestic-abuse-protection-notice', authorisedBy: { rank: 'inspector' } })
      .expect(200);
    await http.post(`${suspectPath()}/disruption-tactics`).set('Authorization', officer).send({ tactic: 'mappa-referral' }).expect(200);
  });

  it('records a breach of a stalking protection order in force, and refuses one before the order is granted', async () => {
    const orderId = randomUUID();
    await http
      .post(`${suspectPath()}/civil-orders`)
      .set('Authorization', supervisor)
      .send({ orderId, order: 'stalking-protection-order', court: "Bristol Magistrates' Court" })
      .expect(200);
    const breach = { breachedAt: '2026-11-20T21:00:00Z', response: 'arrested' };
    const pending = await http
      .post(`${suspectPath()}/civil-orders/${orderId}/breaches`)
      .set('Authorization', officer)
      .send(breach)
      .expect(409);
    expect(pending.body.type).toMatch(/state\/civil-order-not-in-force$/);
    const short = await http
      .post(`${suspectPath()}/civil-orders/${orderId}/grant`)
      .set('Authorization', officer)
      .send({ grantedAt: '2026-11-10T11:00:00Z', expiresOn: '2027-11-09' })
      .expect(422);
    expect(short.body.errors[0].field).toBe('/expiresOn');
    await http
      .post(`${suspectPath()}/civil-orders/${orderId}/grant`)
      .set('Authorization', officer)
      .send({ grantedAt: '2026-11-10T11:00:00Z', expiresOn: '2028-11-10' })
      .expect(200);
    const before = await http
      .post(`${suspectPath()}/civil-orders/${orderId}/breaches`)
      .set('Authorization', officer)
      .send({ ...breach, breachedAt: '2026-11-09T21:00:00Z' })
      .expect(422);
    expect(before.body.errors[0].field).toBe('/breachedAt');
    const breachId = randomUUID();
    await http
      .post(`${suspectPath()}/civil-orders/${orderId}/breaches`)
      .set('Authorization', officer)
      .send({ ...breach, breachId })
      .expect(200);
    await http
      .post(`${suspectPath()}/civil-orders/${orderId}/breaches`)
      .set('Authorization', officer)
      .send({ ...breach, breachId })
      .expect(409);
  });

  it('refuses every new route to another force’s caller', async () => {
    const orderId = randomUUID();
    const routes: [string, object][] = [
      ['repeat-suspect-flag/reviews', { summary: 'x' }],
      ['repeat-suspect-flag/disruption-decision', { tactics: ['mappa-referral'] }],
      [`civil-orders/${orderId}/breaches`, { breachedAt: '2026-11-20T21:00:00Z', response: 'arrested' }],
    ];
    const statuses: number[] = [];
    for (const [route, body] of routes) {
      // Their force in the path: the guard answers 404; their own force in the path: no such suspect there, 404.
      statuses.push((await http.post(`/forces/${AVON}/suspects/${suspectId}/${route}`).set('Authorization', wilts).send(body)).status);
      statuses.push((await http.post(`/forces/wiltshire/suspects/${suspectId}/${route}`).set('Authorization', wilts).send(body)).status);
    }
    statuses.push((await http.get(`/forces/${AVON}/caseload/accredited-coverage`).set('Authorization', wilts)).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await http.get(`/forces/${AVON}/caseload/accredited-coverage`).set('Authorization', officer)).status).toBe(403);
  });

  it('derives the caseload from assignments and measures accredited-investigator coverage', async () => {
    const path = `/forces/${AVON}/officers/${accredited}`;
    await http.post(`${path}/accreditations`).set('Authorization', supervisor).send({ programme: 'ssaidp' }).expect(200);
    await http.post(`${path}/accreditations/ssaidp/achievement`).set('Authorization', supervisor).send({}).expect(200);
    await http
      .put(`/forces/${AVON}/cases/${cases[1]}/investigator`)
      .set('Authorization', supervisor)
      .send({ officerId: accredited })
      .expect(200);
    await http
      .put(`/forces/${AVON}/cases/${cases[2]}/investigator`)
      .set('Authorization', supervisor)
      .send({ officerId: unaccredited })
      .expect(200);

    const coverage = async (): Promise<Record<string, unknown>> =>
      (await http.get(`/forces/${AVON}/caseload/accredited-coverage`).set('Authorization', supervisor)).body as Record<string, unknown>;
    await waitFor('two assignments projected', async () => (await coverage())['assigned'] === 2, { timeoutMs: 60_000 });
    await waitFor('the accreditation projected', async () => (await coverage())['accredited'] === 1, { timeoutMs: 60_000 });
    expect(await coverage()).toEqual({ openInvestigations: 3, assigned: 2, accredited: 1, share: 0.3333 });

    // A reassignment moves the case from one officer's caseload to the other's.
    await http
      .put(`/forces/${AVON}/cases/${cases[2]}/investigator`)
      .set('Authorization', supervisor)
      .send({ officerId: accredited })
      .expect(200);
    await waitFor('the reassignment projected', async () => (await coverage())['accredited'] === 2, { timeoutMs: 60_000 });
    expect(await coverage()).toEqual({ openInvestigations: 3, assigned: 2, accredited: 2, share: 0.6667 });
    const caseload = await http
      .get(`/forces/${AVON}/caseload`)
      .query({ officerId: accredited })
      .set('Authorization', supervisor)
      .expect(200);
    expect(caseload.body.items).toMatchObject([
      { officerId: accredited, openCases: 2, accreditations: { ssaidp: { status: 'achieved' } } },
    ]);
    const other = await http
      .get(`/forces/${AVON}/caseload`)
      .query({ officerId: unaccredited })
      .set('Authorization', supervisor)
      .expect(200);
    // The officer who lost the case holds none now and has no learning record: not listed.
    expect(other.body.items).toEqual([]);
  });
});
