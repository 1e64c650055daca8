import type { RecordedEvent } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { fixedClock } from '#platform';
import { waitFor } from '#testing';
import request from 'supertest';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * Digital material and the problem profile over HTTP (issue 13; docs/digital-material.md): the s37 notice in full,
 * an agreement withdrawn, a device returned with the days it was held, third-party material with its necessity, the
 * victim told and the holder's answer; the problem profile recorded as personal data and read only as a force's
 * suppressed counts, by its own supervisors. On a fixed clock (the crimes' recording times are the clock's).
 */
describe('digital material and the problem profile over HTTP', () => {
  const now = '2026-11-20T10:00:00.000Z';
  const FORCE = 'avon-somerset';
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;
  let supervisor: string;
  const caseIds: string[] = [];

  const notice = {
    whatIsSought: 'Messages with the suspect, 8 to 10 November.',
    why: 'They may show the arrangements made.',
    retention: 'Kept while the case is investigated and prosecuted, then as the CPIA code requires.',
    deletion: 'Data outside the scope is deleted once the extraction is complete.',
    mayRefuse: true,
    refusalDoesNotEndInvestigation: true,
  };
  const profile = {
    offenceDate: '2026-11-08',
    relationshipToSuspect: 'friend-or-acquaintance',
    domesticAbuse: 'not-flagged',
    victimAgeBand: '18-24',
    suspectAgeBand: '25-34',
  };

  /** A crime reported on 10 November, recorded now, under investigation: its path. */
  const aCase = async (n: number): Promise<string> => {
    const crime = await http
      .post(`/forces/${FORCE}/cases`)
      .set('Authorization', officer)
      .send({
        crimeReference: `AS/26/0080${String(n).padStart(2, '0')}`,
        offence: 'rape-of-female-16-plus',
        reportedAt: '2026-11-10T21:14:00Z',
      })
      .expect(201);
    caseIds.push(crime.body.caseId as string);
    const path = `/forces/${FORCE}/cases/${crime.body.caseId as string}`;
    await http.post(`${path}/investigation`).set('Authorization', officer).expect(200);
    return path;
  };

  beforeAll(async () => {
    backbone = await startBackbone(
      [FORCE, 'wiltshire'],
      [CasesApiModule],
      { NOM_KPI_SUPPRESSION_THRESHOLD: '3' },
      { clock: fixedClock(now) },
    );
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token(FORCE, ['officer'])}`;
    supervisor = `Bearer ${await backbone.token(FORCE, ['officer', 'supervisor'])}`;
  });

  afterAll(async () => {
    await backbone.close();
  });

  it('requires the full s37 notice, lets the user withdraw before completion, and returns the device with its days held', async () => {
    const path = await aCase(1);
    const post = (route: string, body: object = {}) => http.post(`${path}${route}`).set('Authorization', officer).send(body);
    const device = { deviceOwner: 'victim', scope: { from: '2026-11-08', to: '2026-11-10', dataCategories: ['messages'] } };

    const partial = await post('/device-extractions', { ...device, notice: { ...notice, mayRefuse: false } }).expect(422);
    expect(partial.body.errors).toEqual([{ field: '/notice/mayRefuse', reason: 'the notice must say that the device user may refuse' }]);
    const noRetention = await post('/device-extractions', { ...device, notice: { ...notice, retention: undefined } }).expect(422);
    expect(noRetention.body.errors[0].field).toBe('/notice/retention');
    await post('/device-extractions', { ...device, notice: { ...notice, mayRefuse: 'yes' } }).expect(400);

    const first = await post('/device-extractions', { ...device, notice }).expect(200);
    const extractionId = (first.body.extractions as { extractionId: string }[])[0]!.extractionId;
    await post(`/device-extractions/${extractionId}/agreement-withdrawal`).expect(409); // not agreed yet
    await post(`/device-extractions/${extractionId}/agreement`, { agreed: true }).expect(200);
    await post(`/device-extractions/${extractionId}/agreement-withdrawal`).expect(200);
    await post(`/device-extractions/${extractionId}/completion`).expect(409); // the extraction stopped
    const returned = await post(`/device-extractions/${extractionId}/return`).expect(200);
    expect(returned.body.extractions).toEqual([{ extractionId, deviceOwner: 'victim', status: 'returned', retentionDays: 0 }]);

    const second = await post('/device-extractions', { ...device, notice }).expect(200);
    const secondId = (second.body.extractions as { extractionId: string; status: string }[]).find(
      (e) => e.status === 'requested',
    )!.extractionId;
    await post(`/device-extractions/${secondId}/agreement`, { agreed: true }).expect(200);
    await post(`/device-extractions/${secondId}/completion`).expect(200);
    await post(`/device-extractions/${secondId}/agreement-withdrawal`).expect(409); // nothing left to stop

    // The notice's free text is personal: encrypted in the log.
    const stored: RecordedEvent[] = [];
    for await (const event of backbone.infrastructure.logStore.readStream(`case-${caseIds[0]!}`)) stored.push(event);
    const requested = stored.find((e) => e.type === 'uk.police.nom.cases.device-extraction-requested.v2')!;
    expect((requested.data as { notice: { retention: string } }).notice.retention).toMatch(/^nom-enc:v1:/);
  });

  it('records a third-party request with its necessity and the victim told first, then the holder answer once', async () => {
    const path = await aCase(2);
    const post = (route: string, body: object = {}) => http.post(`${path}${route}`).set('Authorization', officer).send(body);
    const requestId = '0f1e2d3c-4b5a-4697-8877-665544332211';
    const body = {
      requestId,
      holder: 'counselling',
      necessity: { reasonableLineOfEnquiry: true, necessaryAndProportionate: true, reason: 'The notes may record a first account.' },
      victimToldAt: '2026-11-19T16:00:00Z',
    };
    const counselling = await post('/third-party-requests', body).expect(422);
    expect(counselling.body.errors[0].field).toBe('/necessity/substantialProbativeValue');
    const late = await post('/third-party-requests', { ...body, holder: 'health', victimToldAt: '2026-11-21T09:00:00Z' }).expect(422);
    expect(late.body.errors[0].field).toBe('/victimToldAt');
    await post('/third-party-requests', { ...body, necessity: { ...body.necessity, substantialProbativeValue: true } }).expect(200);
    await post(`/third-party-requests/${requestId}/outcome`, { outcome: 'lost' }).expect(400);
    await post(`/third-party-requests/${requestId}/outcome`, { outcome: 'disclosed' }).expect(200);
    await post(`/third-party-requests/${requestId}/outcome`, { outcome: 'refused' }).expect(409);
    const unknown = await post('/third-party-requests/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/outcome', { outcome: 'none-held' }).expect(422);
    expect(unknown.body.errors[0].field).toBe('/requestId');
  });

  it('records the problem profile as personal data, refusing an offence after its report and an inconsistent flag', async () => {
    const path = await aCase(3);
    const put = (body: object) => http.put(`${path}/problem-profile`).set('Authorization', officer).send(body);
    const after = await put({ ...profile, offenceDate: '2026-11-11' }).expect(422);
    expect(after.body.errors).toEqual([{ field: '/offenceDate', reason: 'the offence cannot be after its report (2026-11-10)' }]);
    const stranger = await put({ ...profile, relationshipToSuspect: 'stranger', domesticAbuse: 'flagged' }).expect(422);
    expect(stranger.body.errors[0].field).toBe('/domesticAbuse');
    await put({ ...profile, victimDateOfBirth: '2001-02-03' }).expect(400); // a band, never a date of birth
    await put({ ...profile, victimAgeBand: '19' }).expect(400);
    await put(profile).expect(200);

    const stored: RecordedEvent[] = [];
    for await (const event of backbone.infrastructure.logStore.readStream(`case-${caseIds[caseIds.length - 1]!}`)) stored.push(event);
    const recorded = stored.find((e) => e.type === 'uk.police.nom.cases.problem-profile-recorded.v1')!.data as Record<string, string>;
    for (const field of ['offenceDate', 'relationshipToSuspect', 'domesticAbuse', 'victimAgeBand', 'suspectAgeBand']) {
      expect(recorded[field]).toMatch(/^nom-enc:v1:/);
    }
  });

  it("serves the force's problem profile as suppressed counts to its supervisors only, never another force's, never a case", async () => {
    // Four profiled crimes recorded this quarter (one above), a partner's among them; threshold 3.
    for (const n of [4, 5])
      await http
        .put(`${await aCase(n)}/problem-profile`)
        .set('Authorization', officer)
        .send(profile)
        .expect(200);
    await http
      .put(`${await aCase(6)}/problem-profile`)
      .set('Authorization', officer)
      .send({ ...profile, relationshipToSuspect: 'partner-or-ex-partner', domesticAbuse: 'flagged', offenceDate: '2019-03-01' })
      .expect(200);

    // The profile is read from the log, whose reads stop short of transactions still open anywhere (the store's read
    // horizon, ADR 0003): it is eventually consistent, so the test waits until the four profiles are visible.
    const answer = await waitFor('the four profiles counted', async () => {
      const res = await http.get(`/forces/${FORCE}/problem-profile?period=2026-Q4`).set('Authorization', supervisor).expect(200);
      return (res.body as { profiled: { value?: number } }).profiled.value === 4 && res;
    });
    expect(answer.body).toMatchObject({
      period: { from: '2026-10-01', to: '2026-12-31' },
      threshold: 3,
      quarters: ['2026-Q4'],
      profiled: { value: 4 },
      relationshipToSuspect: { 'friend-or-acquaintance': { value: 3 }, 'partner-or-ex-partner': { suppressed: 'primary' } },
      // flagged (1) is hidden, so not-flagged (3 of 4 shown) would give it away: hidden too.
      domesticAbuse: { flagged: { suppressed: 'primary' }, 'not-flagged': { suppressed: 'secondary' } },
      victimAgeBand: { '18-24': { value: 4 } },
      reportingDelay: { 'within-7-days': { value: 3 }, 'over-5-years': { suppressed: 'primary' } },
    });
    for (const caseId of caseIds) expect(answer.text).not.toContain(caseId);

    // Only the force's supervisors and integrations: an officer is refused; another force's caller never sees it.
    await http.get(`/forces/${FORCE}/problem-profile?period=2026-Q4`).set('Authorization', officer).expect(403);
    const wiltshire = `Bearer ${await backbone.token('wiltshire', ['supervisor', 'force-integration'])}`;
    const other = await http.get(`/forces/${FORCE}/problem-profile?period=2026-Q4`).set('Authorization', wiltshire);
    expect([403, 404]).toContain(other.status);
    expect(other.text).not.toContain('"profiled"');
    const own = await http.get('/forces/wiltshire/problem-profile?period=2026-Q4').set('Authorization', wiltshire).expect(200);
    expect(own.body.profiled).toEqual({ suppressed: 'primary' });

    const part = await http
      .get(`/forces/${FORCE}/problem-profile?from=2026-10-01&to=2026-11-30`)
      .set('Authorization', supervisor)
      .expect(422);
    expect(part.body.errors[0].field).toBe('/period');
    const unknown = await http.get(`/forces/${FORCE}/problem-profile?caseId=${caseIds[0]!}`).set('Authorization', supervisor).expect(422);
    expect(unknown.body.errors[0].field).toBe('/caseId');
  });
});
