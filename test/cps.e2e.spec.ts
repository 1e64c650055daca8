import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { THRESHOLD_TEST_CONDITIONS } from '#contracts';
import { SuspectsApiModule } from '#suspects-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * The CPS part of a case over HTTP (issue 13; docs/cps-rules.md): early advice with an action plan, charging files
 * per suspect, decisions per suspect with the test applied, administrative finalisation and a resubmission.
 */
describe('the CPS routes of the cases API over HTTP', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, SuspectsApiModule]);
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token('avon-somerset', ['officer'])}`;
  });

  afterAll(async () => {
    await backbone.close();
  });

  /** A rape case under investigation with two suspects linked; its path and the suspects' ids. */
  async function caseWithSuspects(): Promise<{ path: string; suspects: [string, string] }> {
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({
        crimeReference: `AS/26/${String(Date.now() % 1_000_000)}`,
        offence: 'rape-of-female-16-plus',
        reportedAt: '2026-11-02T21:14:00Z',
      })
      .expect(201);
    const caseId = crime.body.caseId as string;
    const path = `/forces/avon-somerset/cases/${caseId}`;
    await http.post(`${path}/investigation`).set('Authorization', officer).expect(200);
    const suspects: string[] = [];
    for (const name of ['Daniel Marsh', 'Lee Grant']) {
      const res = await http.post('/forces/avon-somerset/suspects').set('Authorization', officer).send({ caseId, name }).expect(201);
      suspects.push(res.body.suspectId as string);
      await http.post(`${path}/suspects`).set('Authorization', officer).send({ suspectId: res.body.suspectId }).expect(200);
    }
    return { path, suspects: suspects as [string, string] };
  }

  it('records early advice on a request with an action plan, and completes an action', async () => {
    const { path } = await caseWithSuspects();
    const post = (route: string, body: object = {}) => http.post(`${path}/cps${route}`).set('Authorization', officer).send(body);
    const adviceRequestId = randomUUID();
    await post('/early-advice', { adviceRequestId: 'not-a-uuid' }).expect(400);
    await post('/early-advice', { adviceRequestId }).expect(200);
    await post('/early-advice').expect(200); // an id is minted
    await post(`/early-advice/${randomUUID()}/advice`, { actionPlan: [] }).expect(422);
    const actionId = randomUUID();
    const plan = [{ actionId, category: 'digital-material', dueBy: '2099-01-15' }];
    await post(`/early-advice/${adviceRequestId}/advice`, { actionPlan: [{ ...plan[0], category: 'gossip' }] }).expect(400);
    const advised = await post(`/early-advice/${adviceRequestId}/advice`, { cpsReference: '52AS0421126', actionPlan: plan }).expect(200);
    expect(advised.body.cpsActions).toEqual([{ ...plan[0], status: 'open' }]);
    await post(`/early-advice/${adviceRequestId}/advice`, { actionPlan: [] }).expect(409);
    await post(`/actions/${randomUUID()}/completion`).expect(422);
    const done = await post(`/actions/${actionId}/completion`).expect(200);
    expect(done.body.cpsActions).toEqual([{ ...plan[0], status: 'completed' }]);
    await post(`/actions/${actionId}/completion`).expect(409);
  });

  it('decides per suspect with the test applied, finalises a file administratively and takes it again', async () => {
    const { path, suspects } = await caseWithSuspects();
    const [first, second] = suspects;
    const post = (route: string, body: object = {}) => http.post(`${path}/cps${route}`).set('Authorization', officer).send(body);
    const cpsReference = '52AS0421127';

    const stranger = await post('/charging-file', { cpsReference, suspectIds: [randomUUID()] }).expect(422);
    expect(stranger.body.errors[0].field).toBe('/suspectIds');
    const noFile = await post(`/suspects/${first}/charging-decision`, { cpsReference, test: 'full-code', decision: 'charge' }).expect(422);
    expect(noFile.body.type).toBe('urn:uk:police:nom:problem:rule/no-charging-file-submitted');

    const filed = await post('/charging-file', { cpsReference, suspectIds: [first, second] }).expect(200);
    expect(filed.body).toMatchObject({ pendingChargingFile: cpsReference });
    expect(filed.body.chargingFiles).toHaveLength(2);
    await post('/charging-file', { cpsReference, suspectIds: [first] }).expect(409); // awaits a decision

    // The Threshold Test: only to charge, every condition met, with the day by which the Full Code Test is applied.
    const threshold = { cpsReference, test: 'threshold', decision: 'charge', thresholdConditions: [...THRESHOLD_TEST_CONDITIONS] };
    const noReview = await post(`/suspects/${first}/charging-decision`, threshold).expect(422);
    expect(noReview.body.errors[0].field).toBe('/fullCodeReviewBy');
    const unmet = await post(`/suspects/${first}/charging-decision`, {
      ...threshold,
      thresholdConditions: THRESHOLD_TEST_CONDITIONS.slice(1),
      fullCodeReviewBy: '2099-02-01',
    }).expect(422);
    expect(unmet.body.errors[0].field).toBe('/thresholdConditions');
    await post(`/suspects/${first}/charging-decision`, { ...threshold, fullCodeReviewBy: '2099-02-01' }).expect(200);

    // Further investigation requested on the second suspect, with an action plan; then the CPS finalises the file.
    const fir = { cpsReference, test: 'full-code', decision: 'further-investigation-requested' };
    await post(`/suspects/${second}/charging-decision`, fir).expect(422); // no action plan
    const actionPlan = [{ actionId: randomUUID(), category: 'forensic-or-medical-evidence', dueBy: '2099-03-01' }];
    const asked = await post(`/suspects/${second}/charging-decision`, { ...fir, actionPlan }).expect(200);
    expect(asked.body.chargingFiles).toEqual([expect.objectContaining({ suspectId: second, status: 'awaiting-police' })]);
    await post('/charging-file/finalisation', { cpsReference: '52AS0000001', reason: 'action-plan-not-answered' }).expect(422);
    const finalised = await post('/charging-file/finalisation', { cpsReference, reason: 'action-plan-not-answered' }).expect(200);
    expect(finalised.body.chargingFiles).toEqual([]);

    // A resubmission is taken, and decided (the case-level route still works on it).
    await post('/charging-file', { cpsReference, suspectIds: [second] }).expect(200);
    const decided = await post('/charging-decision', { cpsReference, decision: 'no-further-action' }).expect(200);
    expect(decided.body).toMatchObject({ chargingDecision: 'no-further-action', chargingFiles: [] });
  });
});
