import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { SuspectsApiModule } from '#suspects-api';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/** One investigation through every case route over HTTP, on the real PostgreSQL (and Kafka when configured). */
describe('the cases API over HTTP', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;
  let supervisor: string;

  /** A suspect identified on the case (the suspects API). */
  const suspectOf = async (caseId: string): Promise<string> => {
    const res = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', officer)
      .send({ caseId, name: 'Daniel Marsh' })
      .expect(201);
    return (res.body as { suspectId: string }).suspectId;
  };

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, SuspectsApiModule, VictimsApiModule, RelayModule, ProjectorModule]);
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token('avon-somerset', ['officer'])}`;
    supervisor = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'])}`;
  });

  afterAll(async () => {
    await backbone.close();
  });

  it('drives a case from N100 report to a charge outcome, and reopens it', async () => {
    const report = await http
      .post('/forces/avon-somerset/cases/reports')
      .set('Authorization', officer)
      .send({ n100Reference: 'AS/N100/26/00871', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    expect(report.body).toMatchObject({ status: 'reported', n100Reference: 'AS/N100/26/00871', revision: '0' });
    const path = `/forces/avon-somerset/cases/${report.body.caseId as string}`;
    const post = (route: string, body: object = {}, as = officer) => http.post(`${path}${route}`).set('Authorization', as).send(body);

    await post('/crime', { crimeReference: 'AS/26/004211', offence: 'rape-of-female-16-plus' }).expect(200);
    await post('/investigation').expect(200);
    await http.put(`${path}/investigator`).set('Authorization', officer).send({ officerId: 'AS-4471' }).expect(200);
    const sameOfficer = await http.put(`${path}/supervisor`).set('Authorization', supervisor).send({ officerId: 'AS-4471' }).expect(422);
    expect(sameOfficer.body.errors).toEqual([{ field: '/officerId', reason: 'the investigator cannot supervise their own case' }]);
    await http.put(`${path}/supervisor`).set('Authorization', supervisor).send({ officerId: 'AS-2210' }).expect(200);

    const lineId = randomUUID();
    await http
      .put(`${path}/plan`)
      .set('Authorization', officer)
      .send({ linesOfEnquiry: [{ lineId, category: 'suspect-history' }] })
      .expect(200);
    await post(`/plan/lines/${lineId}/completion`).expect(200);

    const extraction = await post('/device-extractions', {
      deviceOwner: 'victim',
      scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
      notice: {
        whatIsSought: 'Messages with the suspect.',
        why: 'They may show the arrangements made.',
        retention: 'Kept while the case is investigated and prosecuted.',
        deletion: 'Deleted once no longer needed.',
        mayRefuse: true,
        refusalDoesNotEndInvestigation: true,
      },
    }).expect(200);
    const extractionId = (extraction.body.extractions as { extractionId: string }[])[0]!.extractionId;
    await post(`/device-extractions/${extractionId}/completion`).expect(409);
    await post(`/device-extractions/${extractionId}/agreement`, { agreed: true }).expect(200);
    await post(`/device-extractions/${extractionId}/completion`).expect(200);
    await post(`/device-extractions/${extractionId}/return`).expect(200);
    await post('/third-party-requests', {
      holder: 'counselling',
      necessity: {
        reasonableLineOfEnquiry: true,
        necessaryAndProportionate: true,
        substantialProbativeValue: true,
        reason: 'A first account.',
      },
      victimToldAt: '2026-11-02T22:00:00Z',
    }).expect(200);

    await post('/cps/early-advice').expect(200);
    await post('/cps/charging-file', { cpsReference: '52AS0421126' }).expect(409); // no suspect linked yet
    const early = await post('/outcome', { outcomeCode: 1 }, supervisor).expect(422);
    expect(early.body.errors[0].field).toBe('/outcomeCode');
    // A suspect is linked by the id the suspects context gave it (an id of no suspect of the force is 404).
    await post('/suspects', { suspectId: randomUUID() }).expect(404);
    await post('/suspects', { suspectId: await suspectOf(report.body.caseId as string) }).expect(200);
    await post('/cps/charging-file', { cpsReference: '52AS0421126' }).expect(200);
    await post('/cps/charging-decision', { cpsReference: '52AS0421126', decision: 'charge' }).expect(200);
    await post('/outcome', { outcomeCode: 1 }, officer).expect(403);
    // Outcome 1 needs the suspect charged in the suspects context, whatever the CPS decided on the case.
    const uncharged = await post('/outcome', { outcomeCode: 1 }, supervisor).expect(422);
    expect(uncharged.body.errors).toEqual([
      { field: '/outcomeCode', reason: 'outcome 1 (charged/summonsed) needs a charge recorded for a suspect of the case' },
    ]);
    await post('/outcome', { outcomeCode: 15 }, supervisor).expect(200);

    // Victims' Right to Review of the police's decision not to charge: asked by the victim, decided by a supervisor.
    const victim = await post('/victims', { offence: 'rape-of-female-16-plus', channel: 'phone' }).expect(201);
    const victimId = victim.body.victimId as string;
    const cps = await post('/right-to-review', { victimId, scheme: 'cps' }).expect(422);
    expect(cps.body.errors).toEqual([
      { field: '/scheme', reason: 'the CPS scheme reviews a CPS decision not to charge, and the case has none' },
    ]);
    await post('/right-to-review', { victimId: randomUUID(), scheme: 'police' }).expect(404); // no victim of the force
    const reviewId = randomUUID();
    await post('/right-to-review', { reviewId, victimId, scheme: 'police' }).expect(200);
    await post(`/right-to-review/${reviewId}/decision`, { result: 'original-decision-stands' }).expect(403);
    await post(`/right-to-review/${reviewId}/decision`, { result: 'original-decision-stands' }, supervisor).expect(200);
    const notOverturned = await post('/reopening', { reason: 'victim-right-to-review' }, supervisor).expect(422);
    expect(notOverturned.body.errors[0].reason).toMatch(/needs a review that overturned the decision/);

    const reopened = await post('/reopening', { reason: 'new-evidence' }, supervisor).expect(200);
    expect(reopened.body).toMatchObject({
      status: 'under-investigation',
      chargingDecision: 'charge',
      extractions: [{ extractionId, status: 'returned' }],
    });
    expect(reopened.body.outcomeCode).toBeUndefined();
  });

  it('cancels a report under the Crime Recording Rules and refuses to investigate it', async () => {
    const report = await http
      .post('/forces/avon-somerset/cases/reports')
      .set('Authorization', officer)
      .send({ n100Reference: 'AS/N100/26/00872', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const path = `/forces/avon-somerset/cases/${report.body.caseId as string}`;
    await http.post(`${path}/cancellation`).set('Authorization', supervisor).send({ reason: 'because' }).expect(400);
    await http.post(`${path}/cancellation`).set('Authorization', supervisor).send({ reason: 'transferred-to-another-force' }).expect(200);
    const refused = await http.post(`${path}/investigation`).set('Authorization', officer).expect(409);
    expect(refused.body.type).toBe('urn:uk:police:nom:problem:state/recording-cancelled');
  });

  it('records a decision not to investigate (a supervisor, with the reasons), once, and an investigation opened after all', async () => {
    const recorded = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/004219', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    const path = `/forces/avon-somerset/cases/${recorded.body.caseId as string}/decision-not-to-investigate`;
    const body = { reason: 'victim-does-not-want-investigation', explanation: 'The victim asked for no investigation at this time.' };
    await http.post(path).set('Authorization', officer).send(body).expect(403);
    const bad = await http.post(path).set('Authorization', supervisor).send({ reason: 'too-busy', explanation: '' }).expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['/explanation', '/reason']);
    const decided = await http.post(path).set('Authorization', supervisor).send(body).expect(200);
    expect(decided.body).toMatchObject({ status: 'recorded', revision: '1' });
    const twice = await http.post(path).set('Authorization', supervisor).send(body).expect(409);
    expect(twice.body.type).toBe('urn:uk:police:nom:problem:state/already-decided-not-to-investigate');
    await http
      .post(`/forces/avon-somerset/cases/${recorded.body.caseId as string}/investigation`)
      .set('Authorization', officer)
      .expect(200);
  });

  it('asks for the Home Office code when the offence group spans several', async () => {
    const refused = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/004212', offence: 'sexual-assault', reportedAt: '2026-11-01T10:00:00Z' })
      .expect(422);
    expect(refused.body.errors[0].field).toBe('/offenceCode');
  });
});
