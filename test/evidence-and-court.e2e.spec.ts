import pg from 'pg';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { VictimEventTypes } from '#contracts';
import { DecisionRunner } from '#platform';
import { VictimUpdatesProcessManager } from '#process-managers';
import { SuspectsApiModule } from '#suspects-api';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * Evidence and court (issue 13, docs/evidence-and-court.md) over HTTP on the real PostgreSQL, with the Victims' Code
 * process manager between the suspects' and the victims' streams: the victim's ABE interview, forensic medical
 * examination (the SARC encrypted at rest), special measures and s28; a charged suspect's first hearing, trial and
 * verdict, another's discontinuance, each owing the victim an update; and the refusals of what cannot have happened.
 */
describe('evidence and court end to end', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let processManager: VictimUpdatesProcessManager;
  let officer: string;
  let supervisor: string;
  let caseId: string;
  let victimPath: string;

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset'], [CasesApiModule, SuspectsApiModule, VictimsApiModule]);
    http = request(backbone.app.getHttpServer());
    const { store, config } = backbone.infrastructure;
    processManager = await VictimUpdatesProcessManager.open(store, new DecisionRunner(store), {
      databaseUrl: config.databaseUrl!,
      schema: config.eventStoreSchema,
    });
    officer = `Bearer ${await backbone.token('avon-somerset', ['officer'], 'AS-4471')}`;
    supervisor = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'], 'AS-2210')}`;
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/007001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    caseId = crime.body.caseId as string;
    const victim = await http
      .post(`/forces/avon-somerset/cases/${caseId}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    victimPath = `/forces/avon-somerset/victims/${victim.body.victimId as string}`;
    await processManager.catchUp(); // links the victim to the case
  });

  afterAll(async () => {
    await processManager.close();
    await backbone.close();
  });

  const victim = (route: string, body: object, status = 200, token = officer) =>
    http.post(`${victimPath}${route}`).set('Authorization', token).send(body).expect(status);
  const suspect = (suspectId: string, route: string, body: object, status = 200, token = supervisor) =>
    http.post(`/forces/avon-somerset/suspects/${suspectId}${route}`).set('Authorization', token).send(body).expect(status);
  const refusal = (res: request.Response): string => String(res.body.type).replace('urn:uk:police:nom:problem:', '');
  const charged = async (): Promise<string> => {
    const identified = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', officer)
      .send({ caseId, name: 'Daniel Marsh' })
      .expect(201);
    const suspectId = identified.body.suspectId as string;
    // Nothing at court before a charge.
    const early = await suspect(
      suspectId,
      '/court/first-hearing',
      { court: "Bristol Magistrates' Court", courtKind: 'magistrates', sentToCrownCourt: true },
      409,
    );
    expect(refusal(early)).toBe('state/not-charged');
    await suspect(suspectId, '/arrest', {
      arrestedAt: new Date(Date.now() - 3_600_000).toISOString(),
      custodyClockStartedAt: new Date().toISOString(),
    });
    await suspect(suspectId, '/charge', { cpsDecisionReference: '52AS0707126' });
    return suspectId;
  };
  const duties = async (): Promise<string[]> =>
    ((await http.get(victimPath).set('Authorization', officer).expect(200)).body.updateDuties as { trigger: string }[]).map(
      (d) => d.trigger,
    );

  it("records the victim's ABE interview and forensic medical examination, the SARC encrypted at rest", async () => {
    const planned = await victim('/abe-interviews', { plannedFor: '2026-11-06T10:00:00Z', withIntermediary: false });
    const [interview] = planned.body.evidence.abeInterviews as { interviewId: string; status: string }[];
    expect(interview).toMatchObject({ status: 'planned' });
    const conducted = await victim('/abe-interviews/conducted', {
      interviewId: interview!.interviewId,
      recordingReference: 'AS-VRI-2026-7001',
    });
    expect(conducted.body.evidence.abeInterviews).toEqual([{ interviewId: interview!.interviewId, status: 'conducted' }]);
    expect(
      refusal(await victim('/abe-interviews/conducted', { interviewId: interview!.interviewId, recordingReference: 'X-1' }, 409)),
    ).toBe('state/abe-interview-already-conducted');

    const referred = await victim('/forensic-examinations', { sarc: { name: 'The Bridge SARC, Bristol', serviceKind: 'all-age-sarc' } });
    const [exam] = referred.body.evidence.forensicExaminations as { examinationId: string }[];
    const noConsent = await victim(
      '/forensic-examinations/completed',
      { examinationId: exam!.examinationId, consentedTo: ['forensic-samples'], consentRecordedAt: new Date().toISOString() },
      409,
    );
    expect(refusal(noConsent)).toBe('state/consent-not-recorded');
    await victim('/forensic-examinations/completed', {
      examinationId: exam!.examinationId,
      consentedTo: ['examination', 'forensic-samples'],
      consentRecordedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const second = await victim('/forensic-examinations', { sarc: { name: 'The Bridge SARC, Bristol', serviceKind: 'adult-sarc' } });
    const other = (second.body.evidence.forensicExaminations as { examinationId: string }[]).find(
      (e) => e.examinationId !== exam!.examinationId,
    );
    const declined = await victim('/forensic-examinations/declined', { examinationId: other!.examinationId });
    expect(declined.body.evidence.forensicExaminations).toEqual(
      expect.arrayContaining([
        { examinationId: exam!.examinationId, status: 'examined' },
        { examinationId: other!.examinationId, status: 'declined' },
      ]),
    );
    // A malformed body is a 400 naming the field.
    const bad = await victim('/forensic-examinations', { sarc: { name: 'X', serviceKind: 'clinic' } }, 400);
    expect(JSON.stringify(bad.body.errors)).toContain('serviceKind');

    const client = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ data: { sarc: { name: string; serviceKind: string } } }>(
        `SELECT data FROM ${backbone.config.eventStoreSchema}.events WHERE type = $1 AND data->>'caseId' = $2`,
        [VictimEventTypes.ForensicExaminationReferred, caseId],
      );
      expect(rows).toHaveLength(2);
      for (const { data } of rows) {
        expect(data.sarc.name).toMatch(/^nom-enc:v1:/);
        expect(data.sarc.serviceKind).toMatch(/^nom-enc:v1:/);
      }
    } finally {
      await client.end();
    }
  });

  it('refuses a court application and a post-charge withdrawal before any charge', async () => {
    const early = await victim('/special-measures/applications', { measures: ['screens'] }, 409);
    expect(refusal(early)).toBe('state/no-charge-known');
    const stage = await victim('/withdrawal', { reason: 'emotional-toll', stage: 'post-charge' }, 409);
    expect(refusal(stage)).toBe('state/stage-contradicts-case');
  });

  it('takes a charged suspect to a verdict; special measures and s28 for the victim, who is owed an update', async () => {
    const suspectId = await charged();
    await processManager.catchUp();
    expect(await duties()).toContain('suspect-charged');

    // Special measures: s27 and s28 applied for under their sections, the court grants both, then the s28 hearing.
    const applied = await victim('/special-measures/applications', {
      measures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination', 'screens'],
    });
    const [application] = applied.body.evidence.specialMeasuresApplications as { applicationId: string }[];
    expect(applied.body.evidence).toMatchObject({ chargeKnown: true, grantedMeasures: [] });
    const mismatch = await victim(
      '/special-measures/decisions',
      { applicationId: application!.applicationId, granted: ['screens'], refused: [] },
      409,
    );
    expect(refusal(mismatch)).toBe('state/decision-does-not-match-application');
    expect(refusal(await victim('/pre-recorded-cross-examination/order', { hearingDate: '2027-05-10' }, 409))).toBe(
      'state/pre-recorded-cross-examination-not-granted',
    );
    await victim('/special-measures/decisions', {
      applicationId: application!.applicationId,
      granted: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
      refused: ['screens'],
    });
    await victim('/pre-recorded-cross-examination/order', { hearingDate: '2027-05-10' });
    const s28 = await victim('/pre-recorded-cross-examination/recording', { recordingReference: 'CC-S28-2027-7001' });
    expect(s28.body.evidence).toMatchObject({
      grantedMeasures: ['video-recorded-evidence-in-chief', 'pre-recorded-cross-examination'],
      preRecordedCrossExamination: 'recorded',
    });

    // Court: no verdict before the trial; first hearing, trial listed and started, a verdict on each count.
    const crown = { court: 'Bristol Crown Court' };
    const results = [
      { count: 1, offence: 'rape-of-female-16-plus', verdict: 'convicted' },
      { count: 2, offence: 'sexual-assault', verdict: 'acquitted' },
    ];
    expect(refusal(await suspect(suspectId, '/court/verdict', { results }, 409, officer))).toBe('state/no-first-hearing');
    await suspect(
      suspectId,
      '/court/first-hearing',
      { court: "Bristol Magistrates' Court", courtKind: 'magistrates', sentToCrownCourt: true },
      200,
      officer,
    );
    expect(refusal(await suspect(suspectId, '/court/verdict', { results }, 409, officer))).toBe('state/trial-not-started');
    await suspect(suspectId, '/court/trial-listing', { ...crown, trialDate: '2027-10-04' }, 200, officer);
    await suspect(suspectId, '/court/trial-start', crown, 200, officer);
    await suspect(
      suspectId,
      '/court/verdict',
      { results: [{ count: 1, offence: 'rape-of-female-16-plus', verdict: 'maybe' }] },
      400,
      officer,
    );
    const verdict = await suspect(suspectId, '/court/verdict', { results }, 200, officer);
    expect(verdict.body.court).toEqual({
      stage: 'concluded',
      sentToCrownCourt: true,
      decidedCounts: [
        { count: 1, verdict: 'convicted' },
        { count: 2, verdict: 'acquitted' },
      ],
    });
    expect(refusal(await suspect(suspectId, '/court/trial-listing', { ...crown, trialDate: '2028-01-10' }, 409, officer))).toBe(
      'state/proceedings-concluded',
    );
    await processManager.catchUp();
    expect(await duties()).toContain('court-verdict');
  });

  it("stops another suspect's prosecution (a supervisor records the CPS's decision), owing the victim an update", async () => {
    const suspectId = await charged();
    await suspect(suspectId, '/court/first-hearing', {
      court: "Bristol Magistrates' Court",
      courtKind: 'magistrates',
      sentToCrownCourt: true,
    });
    await suspect(suspectId, '/court/discontinuance', { method: 'pos-1985-s23a-notice', grounds: 'evidential' }, 403, officer);
    const wrong = await suspect(suspectId, '/court/discontinuance', { method: 'pos-1985-s23-notice', grounds: 'evidential' }, 422);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: '/method' })]);
    const stopped = await suspect(suspectId, '/court/discontinuance', { method: 'pos-1985-s23a-notice', grounds: 'public-interest' });
    expect(stopped.body.court).toMatchObject({ stage: 'discontinued' });
    await processManager.catchUp();
    expect(await duties()).toContain('prosecution-discontinued');
    // The victim may now withdraw at the trial stage: a charge is known.
    const withdrawn = await victim('/withdrawal', { reason: 'emotional-toll', stage: 'trial' });
    expect(withdrawn.body.status).toBe('withdrawn');
  });
});
