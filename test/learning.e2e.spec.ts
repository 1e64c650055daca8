import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { forceTopic, LearningEventTypes, NATIONAL, nationalTopic, type ForceCode, type ModelRules, type National } from '#contracts';
import { NATIONAL_MODEL_STREAM_ID } from '#learning-domain';
import type { Role } from '#platform';
import { RelayModule } from '#relay-runtime';
import { testKafka, uniqueName, waitFor, waitForTopics } from '#testing';
import { CasesApiModule } from '#cases-api';
import { LearningApiModule } from '#learning-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/** With the cases API: a review or lesson names an existing case of the caller's force. */
function startLearning(forces: ForceCode[]): Promise<RunningBackbone> {
  return startBackbone(forces, [LearningApiModule, CasesApiModule, RelayModule]);
}

/**
 * The national model is seeded over HTTP by the national team: a token with `nom_force: 'national'` and the
 * `national-team` role. Its events carry metadata.force `national`, the store keeps the stream `operating-model`
 * to the national scope, and the relay publishes them on the national topic. Two forces then adopt from it,
 * reading the national stream across the force boundary on purpose (national reference data), while
 * everything else stays force-scoped.
 */
const rules: ModelRules = {
  victimUpdateDeadline: { standardWorkingDays: 5, enhancedWorkingDays: 1 },
  preChargeBail: { initialPeriodMonths: 3, inspectorLimitMonths: 6, superintendentLimitMonths: 9 },
};

describe('the learning API end to end (HTTP -> event store -> relay -> Kafka)', () => {
  let learning: RunningBackbone;
  let http: ReturnType<typeof request>;
  let nationalTeam: string;
  let avonSupervisor: string;
  let avonAdmin: string;
  let wiltsSupervisor: string;
  let wiltsAdmin: string;
  const received: (KafkaMessage & { topic: string })[] = [];
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const plain = kafka.consumer({ groupId: uniqueName('learning_integrator') });
  const bearer = async (force: ForceCode | National, roles: Role[], officerId: string) =>
    `Bearer ${await learning.token(force, roles, officerId)}`;
  const onTopic = (key: string, revision: string, topic = forceTopic('avon-somerset', learning.config.topicPrefix)) =>
    waitFor(`${key}@${revision} on ${topic}`, () =>
      received.find((m) => m.topic === topic && m.key?.toString() === key && m.headers?.['ce_nomstreamrevision']?.toString() === revision),
    );

  /** A case of avon-somerset's, recorded over HTTP. */
  const newCase = async (): Promise<string> => {
    const officer = await bearer('avon-somerset', ['officer'], 'AS-4473');
    const reference = `AS/26/${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    const res = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', officer)
      .send({ crimeReference: reference, offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' });
    return (res.body as { caseId: string }).caseId;
  };

  beforeAll(async () => {
    learning = await startLearning(['avon-somerset', 'wiltshire']);
    http = request(learning.app.getHttpServer());
    nationalTeam = await bearer(NATIONAL, ['national-team'], 'NT-0001');
    avonSupervisor = await bearer('avon-somerset', ['supervisor'], 'AS-SUP1');
    avonAdmin = await bearer('avon-somerset', ['administrator'], 'AS-ADM1');
    wiltsSupervisor = await bearer('wiltshire', ['supervisor'], 'WI-SUP1');
    wiltsAdmin = await bearer('wiltshire', ['administrator'], 'WI-ADM1');
    const topics = [forceTopic('avon-somerset', learning.config.topicPrefix), nationalTopic(learning.config.topicPrefix)];
    // The relay creates the force topics and the national topic at start-up; subscribe once it has (creating
    // them here too would race).
    await waitForTopics(kafka, topics);
    // A force integration team's own consumer: plain kafkajs, no project code.
    await plain.connect();
    await plain.subscribe({ topics, fromBeginning: true });
    await plain.run({ eachMessage: ({ topic, message }) => Promise.resolve(void received.push({ ...message, topic })) });
    // The national team publishes two versions of the model over HTTP.
    for (const version of ['2026.1', '2027.1']) {
      await http
        .post('/national/operating-model/versions')
        .set('Authorization', nationalTeam)
        .send({ version, catalogueVersion: version, rules })
        .expect(201);
    }
  });

  afterAll(async () => {
    await plain.disconnect();
    await learning.close();
  });

  it('serves the learning routes in the OpenAPI document', async () => {
    const docs = await http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/forces/{force}/officers/{officerId}',
        '/forces/{force}/officers/{officerId}/accreditations',
        '/forces/{force}/officers/{officerId}/accreditations/{programme}/achievement',
        '/forces/{force}/officers/{officerId}/wellbeing-check-ins',
        '/forces/{force}/operating-model/adoptions',
        '/national/operating-model',
        '/national/operating-model/versions',
        '/national/operating-model/versions/{version}/supersede',
      ]),
    );
  });

  it('enrols an officer, then records the accreditation achieved: ETags, view, CloudEvents on the force topic', async () => {
    const path = '/forces/avon-somerset/officers/AS-4471';
    const enrolled = await http
      .post(`${path}/accreditations`)
      .set('Authorization', avonSupervisor)
      .send({ programme: 'ssaidp' })
      .expect(200);
    expect(enrolled.headers['etag']).toBe('"0"');
    expect(enrolled.body).toMatchObject({ officerId: 'AS-4471', accreditations: { ssaidp: 'enrolled' }, revision: '0' });
    const achieved = await http
      .post(`${path}/accreditations/ssaidp/achievement`)
      .set('Authorization', avonSupervisor)
      .set('If-Match', '"0"')
      .expect(200);
    expect(achieved.headers['etag']).toBe('"1"');
    expect(achieved.body.accreditations).toEqual({ ssaidp: 'accredited' });
    // Achieving it twice is the state refusing the transition.
    const again = await http.post(`${path}/accreditations/ssaidp/achievement`).set('Authorization', avonSupervisor).expect(409);
    expect(again.body.type).toBe('urn:uk:police:nom:problem:state/already-accredited');

    const enrolRecord = await onTopic('officer-avon-somerset-AS-4471', '0');
    const achieveRecord = await onTopic('officer-avon-somerset-AS-4471', '1');
    expect(enrolRecord.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.AccreditationEnrolled);
    expect(achieveRecord.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.AccreditationAchieved);
    expect(achieveRecord.headers?.['ce_nomforce']?.toString()).toBe('avon-somerset');
    expect(achieveRecord.headers?.['ce_source']?.toString()).toBe('/uk/police/nom/forces/avon-somerset');
    expect(JSON.parse(achieveRecord.value!.toString())).toEqual({
      officerId: 'AS-4471',
      programme: 'ssaidp',
      achievedAt: expect.any(String),
    });

    // The officer reads their own record; another officer of the force may not.
    const own = await http
      .get(path)
      .set('Authorization', await bearer('avon-somerset', ['officer'], 'AS-4471'))
      .expect(200);
    expect(own.headers['etag']).toBe('"1"');
    await http
      .get(path)
      .set('Authorization', await bearer('avon-somerset', ['officer'], 'AS-5000'))
      .expect(403);
  });

  it('keeps wellbeing check-ins out of every view: recorded in the stream, never served back', async () => {
    const path = '/forces/avon-somerset/officers/AS-4472';
    const held = await http
      .post(`${path}/wellbeing-check-ins`)
      .set('Authorization', avonSupervisor)
      .send({ heldOn: '2026-12-02', outcome: 'referred-to-occupational-health' })
      .expect(200);
    expect(held.body).toEqual({
      officerId: 'AS-4472',
      accreditations: {},
      trainingHours: 0,
      reviewedCases: [],
      lessons: [],
      revision: '0',
    });
    const read = await http.get(path).set('Authorization', avonSupervisor).expect(200);
    expect(JSON.stringify(read.body)).not.toMatch(/wellbeing|occupational|AS-SUP1/);
    const record = await onTopic('officer-avon-somerset-AS-4472', '0');
    expect(record.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.WellbeingCheckInHeld);
    // Nobody holds their own check-in.
    const own = await http
      .post('/forces/avon-somerset/officers/AS-SUP1/wellbeing-check-ins')
      .set('Authorization', avonSupervisor)
      .send({ heldOn: '2026-12-02', outcome: 'no-concerns' })
      .expect(409);
    expect(own.body.type).toBe('urn:uk:police:nom:problem:state/own-wellbeing-check-in');
  });

  it('refuses a review of their own case by the officer in the case (409: the refusal names no field), and stores nothing', async () => {
    const caseId = await newCase();
    const refused = await http
      .post('/forces/avon-somerset/officers/AS-SUP1/case-reviews')
      .set('Authorization', avonSupervisor)
      .send({ caseId, findings: 'meets-standard', actionsRaised: 0 })
      .expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:uk:police:nom:problem:state/own-case-review', status: 409 });
    await http.get('/forces/avon-somerset/officers/AS-SUP1').set('Authorization', avonSupervisor).expect(404);

    // Reviewed by another supervisor, the case yields a lesson; a lesson from an unreviewed case is refused.
    const path = '/forces/avon-somerset/officers/AS-4473';
    await http
      .post(`${path}/case-reviews`)
      .set('Authorization', avonSupervisor)
      .send({ caseId, findings: 'improvement-needed', actionsRaised: 2 })
      .expect(200);
    const lessonId = randomUUID();
    const lesson = await http
      .post(`${path}/lessons-learned`)
      .set('Authorization', avonSupervisor)
      .send({ lessonId, caseId, category: 'victim-engagement', shareNationally: true })
      .expect(200);
    expect(lesson.body).toMatchObject({ reviewedCases: [caseId], lessons: [lessonId], revision: '1' });
    const unreviewed = await http
      .post(`${path}/lessons-learned`)
      .set('Authorization', avonSupervisor)
      .send({ caseId: await newCase(), category: 'victim-engagement', shareNationally: false })
      .expect(409);
    expect(unreviewed.body.type).toBe('urn:uk:police:nom:problem:state/case-not-reviewed');
    // Training and caseload, the latter from the force's integration too.
    await http.post(`${path}/training`).set('Authorization', avonSupervisor).send({ courseCode: 'RASSO-NOM-101', hours: 7.5 }).expect(200);
    const counted = await http
      .post(`${path}/caseload`)
      .set('Authorization', await bearer('avon-somerset', ['force-integration'], 'AS-SYS1'))
      .send({ asOf: '2026-11-30', openCases: 14, threshold: 12 })
      .expect(200);
    expect(counted.body).toMatchObject({
      trainingHours: 7.5,
      latestCaseload: { asOf: '2026-11-30', openCases: 14, thresholdExceeded: true },
      revision: '3',
    });
  });

  it("hides force A's officer from force B (404, the same as an officer who exists nowhere)", async () => {
    await http
      .post('/forces/avon-somerset/officers/AS-4474/accreditations')
      .set('Authorization', avonSupervisor)
      .send({ programme: 'pip-2' })
      .expect(200);
    for (const [method, path, token, body] of [
      ['get', '/forces/avon-somerset/officers/AS-4474', wiltsSupervisor, {}],
      ['post', '/forces/avon-somerset/officers/AS-4474/accreditations', wiltsSupervisor, { programme: 'soit' }],
      ['get', '/forces/avon-somerset/operating-model', wiltsSupervisor, {}],
      ['post', '/forces/avon-somerset/operating-model/adoptions', wiltsAdmin, { version: '2027.1' }],
    ] as const) {
      const res = await http[method](path).set('Authorization', token).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(JSON.stringify(res.body)).not.toContain('AS-4474');
    }
    const hidden = await http.get('/forces/wiltshire/officers/AS-4474').set('Authorization', wiltsSupervisor).expect(404);
    const none = await http.get('/forces/wiltshire/officers/XX-0000').set('Authorization', wiltsSupervisor).expect(404);
    expect(hidden.body).toEqual(none.body);
  });

  it('answers bad input with 400 problem+json naming each field, and stores nothing', async () => {
    const path = '/forces/avon-somerset/officers/AS-4475';
    const training = await http
      .post(`${path}/training`)
      .set('Authorization', avonSupervisor)
      .send({ courseCode: 'rasso 101', hours: 0, officerId: 'AS-1' })
      .expect(400);
    expect(training.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(training.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: '/courseCode' }),
        expect.objectContaining({ field: '/hours' }),
        { field: '/officerId', reason: 'property officerId should not exist' },
      ]),
    );
    const caseload = await http
      .post(`${path}/caseload`)
      .set('Authorization', avonSupervisor)
      .send({ asOf: '2026-11-30T10:00:00Z', openCases: 3, threshold: 12 })
      .expect(400);
    expect(caseload.body.errors).toEqual([{ field: '/asOf', reason: 'asOf must be a calendar date (YYYY-MM-DD)' }]);
    const programme = await http.post(`${path}/accreditations/ninja/achievement`).set('Authorization', avonSupervisor).expect(400);
    expect(programme.body.errors).toEqual([expect.objectContaining({ field: '/programme' })]);
    const version = await http
      .post('/forces/avon-somerset/operating-model/adoptions')
      .set('Authorization', avonAdmin)
      .send({ version: '2026' })
      .expect(400);
    expect(version.body.errors).toEqual([
      { field: '/version', reason: 'version must be a version of the form <year>.<release>, e.g. 2026.1' },
    ]);
    await http.get(path).set('Authorization', avonSupervisor).expect(404);
  });

  it("adopts a published version in the administrator's force, reading the national stream across forces", async () => {
    await http.get('/forces/avon-somerset/operating-model').set('Authorization', avonSupervisor).expect(404);
    const adopted = await http
      .post('/forces/avon-somerset/operating-model/adoptions')
      .set('Authorization', avonAdmin)
      .send({ version: '2026.1' })
      .expect(201);
    expect(adopted.headers['etag']).toBe('"0"');
    expect(adopted.headers['location']).toBe('/forces/avon-somerset/operating-model');
    expect(adopted.body).toMatchObject({ force: 'avon-somerset', versionInForce: '2026.1', revision: '0' });
    const inForce = await http
      .get('/forces/avon-somerset/operating-model')
      .set('Authorization', await bearer('avon-somerset', ['officer'], 'AS-4471'))
      .expect(200);
    expect(inForce.body).toMatchObject({ versionInForce: '2026.1', adoptions: [{ version: '2026.1', adoptedAt: expect.any(String) }] });
    const again = await http
      .post('/forces/avon-somerset/operating-model/adoptions')
      .set('Authorization', avonAdmin)
      .send({ version: '2026.1' })
      .expect(409);
    expect(again.body.type).toBe('urn:uk:police:nom:problem:state/version-already-adopted');

    const record = await onTopic('operating-model-avon-somerset', '0');
    expect(record.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.ModelVersionAdopted);
    expect(JSON.parse(record.value!.toString())).toEqual({ force: 'avon-somerset', version: '2026.1', adoptedAt: expect.any(String) });

    // Once superseded nationally, another force can no longer adopt the old version, only its replacement.
    const superseding = await http
      .post('/national/operating-model/versions/2026.1/supersede')
      .set('Authorization', nationalTeam)
      .send({ supersededBy: '2027.1' })
      .expect(200);
    expect(superseding.headers['etag']).toBe('"2"');
    const superseded = await http
      .post('/forces/wiltshire/operating-model/adoptions')
      .set('Authorization', wiltsAdmin)
      .send({ version: '2026.1' })
      .expect(409);
    expect(superseded.body.type).toBe('urn:uk:police:nom:problem:state/version-superseded');
    await http.post('/forces/wiltshire/operating-model/adoptions').set('Authorization', wiltsAdmin).send({ version: '2027.1' }).expect(201);
    const nationalView = await http.get('/national/operating-model').set('Authorization', wiltsSupervisor).expect(200);
    expect(nationalView.body.versions).toEqual([
      expect.objectContaining({ version: '2026.1', supersededBy: '2027.1' }),
      expect.objectContaining({ version: '2027.1', rules }),
    ]);
  });

  it('refuses to adopt a version that was never published (409), storing nothing', async () => {
    const refused = await http
      .post('/forces/avon-somerset/operating-model/adoptions')
      .set('Authorization', avonAdmin)
      .send({ version: '2031.1' })
      .expect(409);
    expect(refused.body).toMatchObject({ type: 'urn:uk:police:nom:problem:state/version-not-published', status: 409 });
    const current = await http.get('/forces/wiltshire/operating-model').set('Authorization', wiltsAdmin).expect(200);
    expect(current.body.versionInForce).toBe('2027.1');
  });

  it('requires the right role: 403 otherwise; the national write routes need the national team', async () => {
    const researcher = await bearer('avon-somerset', ['researcher'], 'AS-RES1');
    await http
      .post('/forces/avon-somerset/officers/AS-4471/accreditations')
      .set('Authorization', researcher)
      .send({ programme: 'soit' })
      .expect(403);
    await http.get('/forces/avon-somerset/officers/AS-4471').set('Authorization', researcher).expect(403);
    const supervisorAdopts = await http
      .post('/forces/avon-somerset/operating-model/adoptions')
      .set('Authorization', avonSupervisor)
      .send({ version: '2027.1' })
      .expect(403);
    expect(supervisorAdopts.body.detail).toBe('needs one of: administrator');
    const officer = await bearer('avon-somerset', ['officer'], 'AS-4471');
    await http
      .post('/forces/avon-somerset/officers/AS-4471/case-reviews')
      .set('Authorization', officer)
      .send({ caseId: randomUUID(), findings: 'good-practice', actionsRaised: 0 })
      .expect(403);

    // A force's administrator (or auditor) may not publish or supersede the national model.
    const body = { version: '2028.1', catalogueVersion: '2028.1', rules };
    for (const roles of [['administrator'], ['national-auditor'], ['administrator', 'national-auditor']] as Role[][]) {
      const res = await http
        .post('/national/operating-model/versions')
        .set('Authorization', await bearer('metropolitan', roles, 'MP-0001'))
        .send(body)
        .expect(403);
      expect(res.body.detail).toBe('needs one of: national-team');
    }
    await http
      .post('/national/operating-model/versions/2026.1/supersede')
      .set('Authorization', avonAdmin)
      .send({ supersededBy: '2027.1' })
      .expect(403);
    // The national team of a force, or the national scope without the national team, is no token at all.
    await http
      .post('/national/operating-model/versions')
      .set('Authorization', await bearer('metropolitan', ['national-team'], 'NT-0001'))
      .send(body)
      .expect(401);
    await http
      .post('/national/operating-model/versions')
      .set('Authorization', await bearer(NATIONAL, ['administrator'], 'NT-0001'))
      .send(body)
      .expect(401);
    const national = await http.get('/national/operating-model').set('Authorization', nationalTeam).expect(200);
    expect(national.body.versions).toEqual([
      expect.objectContaining({ version: '2026.1' }),
      expect.objectContaining({ version: '2027.1' }),
    ]);
  });

  it("keeps the national team out of every force's routes: 404 where its role is admitted, 403 where it is not", async () => {
    // The routes every role may call: the force check answers, as for a caller of another force.
    for (const path of ['/forces/avon-somerset/operating-model', '/forces/wiltshire/operating-model', '/forces/national/operating-model']) {
      const res = await http.get(path).set('Authorization', nationalTeam);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(JSON.stringify(res.body)).not.toContain('2026.1');
    }
    // The routes of a force's roles: the role check answers first, as for any caller without the role.
    for (const [method, path, body] of [
      ['get', '/forces/avon-somerset/officers/AS-4471', {}],
      ['post', '/forces/avon-somerset/officers/AS-4471/training', { courseCode: 'RASSO-NOM-101', hours: 1 }],
      ['post', '/forces/avon-somerset/operating-model/adoptions', { version: '2027.1' }],
    ] as const) {
      const res = await http[method](path).set('Authorization', nationalTeam).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('publishes the national events on the national topic, never on a force topic', async () => {
    const topic = nationalTopic(learning.config.topicPrefix);
    const published = await onTopic(NATIONAL_MODEL_STREAM_ID, '0', topic);
    expect(published.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.ModelVersionPublished);
    expect(published.headers?.['ce_nomforce']?.toString()).toBe('national');
    expect(published.headers?.['ce_source']?.toString()).toBe('/uk/police/nom/national');
    expect(published.headers?.['ce_nomactor']?.toString()).toBe('NT-0001');
    expect(JSON.parse(published.value!.toString())).toEqual({
      version: '2026.1',
      catalogueVersion: '2026.1',
      rules,
      publishedAt: expect.any(String),
    });
    const superseded = await onTopic(NATIONAL_MODEL_STREAM_ID, '2', topic);
    expect(superseded.headers?.['ce_type']?.toString()).toBe(LearningEventTypes.ModelVersionSuperseded);
    expect(superseded.headers?.['ce_nomforce']?.toString()).toBe('national');
    expect(received.filter((m) => m.key?.toString() === NATIONAL_MODEL_STREAM_ID).every((m) => m.topic === topic)).toBe(true);
  });
});
