import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { CaseEventTypes, forceTopic } from '#contracts';
import { testKafka, uniqueName, waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

describe('the backbone end to end (HTTP -> event store -> relay -> Kafka -> force projection)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let avon: string;
  let wilts: string;
  const received: KafkaMessage[] = [];
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const plain = kafka.consumer({ groupId: uniqueName('integrator') });

  beforeAll(async () => {
    backbone = await startBackbone(['avon-somerset', 'wiltshire']);
    http = request(backbone.app.getHttpServer());
    avon = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'])}`;
    wilts = `Bearer ${await backbone.token('wiltshire', ['officer', 'supervisor'])}`;
    // A force integration team's own consumer: plain kafkajs, no project code.
    await plain.connect();
    await plain.subscribe({ topic: forceTopic('avon-somerset', backbone.config.topicPrefix), fromBeginning: true });
    await plain.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
  });

  afterAll(async () => {
    await plain.disconnect();
    await backbone.close();
  });

  it('serves health and the OpenAPI document', async () => {
    const health = await http.get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', details: { eventStore: { status: 'up' } } });
    const docs = await http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/forces/{force}/cases', '/forces/{force}/cases/{caseId}/outcome']),
    );
    await http.get('/docs').expect(200);
  });

  it("records a crime in force A: CloudEvents record on A's topic, row in A's projection and in no other", async () => {
    const reportedAt = '2026-11-02T21:14:00.000Z';
    const created = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/004211', offence: 'rape-of-female-16-plus', reportedAt })
      .expect(201);
    const caseId: string = created.body.caseId;
    expect(created.headers['etag']).toBe('"0"');
    expect(created.headers['location']).toBe(`/forces/avon-somerset/cases/${caseId}`);
    await http.post(`/forces/avon-somerset/cases/${caseId}/investigation`).set('Authorization', avon).set('If-Match', '"0"').expect(200);
    await http
      .put(`/forces/avon-somerset/cases/${caseId}/investigator`)
      .set('Authorization', avon)
      .send({ officerId: 'AS-4471' })
      .expect(200);

    const record = await waitFor("the crime on avon-somerset's topic", () =>
      received.find((m) => m.key?.toString() === `case-${caseId}` && m.headers?.['ce_nomstreamrevision']?.toString() === '0'),
    );
    expect(record.headers?.['ce_type']?.toString()).toBe(CaseEventTypes.CrimeRecorded);
    expect(record.headers?.['ce_specversion']?.toString()).toBe('1.0');
    expect(record.headers?.['ce_source']?.toString()).toBe('/uk/police/nom/forces/avon-somerset');
    expect(record.headers?.['ce_nomforce']?.toString()).toBe('avon-somerset');
    expect(JSON.parse(record.value!.toString())).toEqual({
      caseId,
      crimeReference: 'AS/26/004211',
      offence: 'rape-of-female-16-plus',
      offenceCode: '19C',
      n100Reference: null,
      reportedAt,
      recordedAt: expect.any(String),
    });

    const row = await waitFor("the case in avon-somerset's projection", async () => {
      const res = await http.get(`/forces/avon-somerset/case-summaries/${caseId}`).set('Authorization', avon);
      return res.status === 200 && res.body.investigatorId === 'AS-4471' ? (res.body as Record<string, unknown>) : undefined;
    });
    expect(row).toMatchObject({ caseId, status: 'under-investigation', crimeReference: 'AS/26/004211', lastRevision: '2' });

    // Not in Wiltshire's projection: neither through its API nor in its schema.
    await http.get(`/forces/wiltshire/case-summaries/${caseId}`).set('Authorization', wilts).expect(404);
    const list = await http.get('/forces/wiltshire/case-summaries').set('Authorization', wilts).expect(200);
    expect(list.body).toEqual([]);
    const db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();
    const wiltsRows = await db.query(`SELECT count(*)::int AS n FROM ${backbone.config.projectionSchemaPrefix}wiltshire.investigations`);
    const avonRows = await db.query(
      `SELECT count(*)::int AS n FROM ${backbone.config.projectionSchemaPrefix}avon_somerset.investigations WHERE case_id = $1`,
      [caseId],
    );
    await db.end();
    expect(wiltsRows.rows[0].n).toBe(0);
    expect(avonRows.rows[0].n).toBe(1);
  });

  it('answers the deprecated /case-summaries alias from the investigations read model, in the old shape', async () => {
    const created = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/004299', offence: 'sexual-assault', offenceCode: '20A', reportedAt: '2026-11-01T08:00:00.000Z' })
      .expect(201);
    const caseId: string = created.body.caseId;
    await http.post(`/forces/avon-somerset/cases/${caseId}/investigation`).set('Authorization', avon).expect(200);
    await http
      .put(`/forces/avon-somerset/cases/${caseId}/investigator`)
      .set('Authorization', avon)
      .send({ officerId: 'AS-5120' })
      .expect(200);
    type Investigation = Record<string, unknown> & { timeline: { eventType: string; occurredAt: string }[] };
    const investigation = await waitFor('the case in the investigations read model', async () => {
      const res = await http.get(`/forces/avon-somerset/investigations/${caseId}`).set('Authorization', avon);
      return res.status === 200 && res.body.investigatorId === 'AS-5120' ? (res.body as Investigation) : undefined;
    });
    const alias = await http.get(`/forces/avon-somerset/case-summaries/${caseId}`).set('Authorization', avon).expect(200);
    expect(investigation.timeline.map((t) => t.eventType)).toEqual([
      CaseEventTypes.CrimeRecorded,
      CaseEventTypes.InvestigationOpened,
      CaseEventTypes.InvestigatorAssigned,
    ]);
    expect(alias.body).toEqual({
      caseId,
      streamId: `case-${caseId}`,
      crimeReference: 'AS/26/004299',
      offence: 'sexual-assault',
      status: 'under-investigation',
      investigatorId: 'AS-5120',
      outcomeCode: null,
      reportedAt: investigation['reportedAt'],
      recordedAt: investigation['recordedAt'],
      openedAt: investigation['openedAt'],
      closedAt: null,
      lastRevision: '2',
      timeline: investigation.timeline.map((t, i) => ({ revision: String(i), type: t.eventType, occurredAt: t.occurredAt })),
    });
    expect(investigation).toMatchObject({
      caseId,
      status: 'under-investigation',
      crimeReference: 'AS/26/004299',
      offence: 'sexual-assault',
      reportedAt: '2026-11-01T08:00:00.000Z',
    });
    // The list holds the same answer, filtered by status as before; its filters are checked as before (400 problem+json).
    const list = await http
      .get('/forces/avon-somerset/case-summaries?status=under-investigation&limit=500')
      .set('Authorization', avon)
      .expect(200);
    expect((list.body as { caseId: string }[]).find((c) => c.caseId === caseId)).toEqual(alias.body);
    const recorded = await http.get('/forces/avon-somerset/case-summaries?status=recorded').set('Authorization', avon).expect(200);
    expect((recorded.body as { caseId: string }[]).map((c) => c.caseId)).not.toContain(caseId);
    const badStatus = await http.get('/forces/avon-somerset/case-summaries?status=open').set('Authorization', avon).expect(400);
    expect(badStatus.body.errors).toEqual([{ field: '/status', reason: 'must be one of recorded, under-investigation, closed' }]);
    const badLimit = await http.get('/forces/avon-somerset/case-summaries?limit=501').set('Authorization', avon).expect(400);
    expect(badLimit.body.errors[0].field).toBe('/limit');
    // An id the force has no case of, well-formed or not, is a bare 404 (the guard answers before the route).
    await http.get(`/forces/avon-somerset/case-summaries/${randomUUID()}`).set('Authorization', avon).expect(404);
    await http.get('/forces/avon-somerset/case-summaries/not-a-uuid').set('Authorization', avon).expect(404);
    // Documented as deprecated, pointing at the investigations.
    const docs = await http.get('/docs-json').expect(200);
    expect(docs.body.paths['/forces/{force}/case-summaries/{caseId}'].get).toMatchObject({
      deprecated: true,
      description: expect.stringContaining('/investigations/{caseId}'),
    });
    expect(docs.body.paths['/forces/{force}/case-summaries'].get).toMatchObject({
      deprecated: true,
      description: expect.stringContaining('/investigations'),
    });
  });

  it("hides force A's case from force B on every route (404, nothing revealed)", async () => {
    const { body } = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/004212', offence: 'sexual-assault', offenceCode: '20A', reportedAt: '2026-11-01T10:00:00Z' })
      .expect(201);
    const caseId: string = body.caseId;
    const unknown = randomUUID();
    for (const [method, path] of [
      ['get', `/forces/avon-somerset/cases/${caseId}`],
      ['get', `/forces/avon-somerset/case-summaries`],
      ['get', `/forces/wiltshire/cases/${caseId}`],
      ['post', `/forces/wiltshire/cases/${caseId}/investigation`],
      ['post', `/forces/avon-somerset/cases/${caseId}/investigation`],
    ] as const) {
      const res = await http[method](path).set('Authorization', wilts).send({});
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).not.toContain(caseId);
    }
    // The same answer as for an id that exists nowhere.
    const none = await http.get(`/forces/wiltshire/cases/${unknown}`).set('Authorization', wilts);
    const hidden = await http.get(`/forces/wiltshire/cases/${caseId}`).set('Authorization', wilts);
    expect(hidden.status).toBe(none.status);
    expect(hidden.body).toEqual(none.body);
  });

  it('answers bad input with problem+json naming the field, and stores nothing', async () => {
    const caseId = randomUUID();
    const res = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ caseId, crimeReference: 'AS/26/1', offence: 'burglary', reportedAt: 'last tuesday', force: 'wiltshire' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: '/offence' }),
        expect.objectContaining({ field: '/reportedAt' }),
        { field: '/force', reason: 'property force should not exist' },
      ]),
    );
    await http.get(`/forces/avon-somerset/cases/${caseId}`).set('Authorization', avon).expect(404);
    // An id in the path is checked before the body: a case that does not exist is a 404 whatever the body says.
    await http.post(`/forces/avon-somerset/cases/${caseId}/outcome`).set('Authorization', avon).send({ outcomeCode: 19 }).expect(404);
    const created = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/004299', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-01T10:00:00Z' })
      .expect(201);
    const outcome = await http
      .post(`/forces/avon-somerset/cases/${created.body.caseId as string}/outcome`)
      .set('Authorization', avon)
      .send({ outcomeCode: 23 })
      .expect(400);
    expect(outcome.body.errors).toEqual([{ field: '/outcomeCode', reason: 'outcomeCode must be a Home Office outcome type (1-22)' }]);
    // Outcome 19 is a Home Office outcome type, refused by the rules with the reason (docs/outcome-rules.md).
    const nfib = await http
      .post(`/forces/avon-somerset/cases/${created.body.caseId as string}/outcome`)
      .set('Authorization', avon)
      .send({ outcomeCode: 19 })
      .expect(422);
    expect(nfib.body.errors).toEqual([
      {
        field: '/outcomeCode',
        reason: 'outcome 19 is for fraud reports filed by the National Fraud Intelligence Bureau, never a RASSO outcome',
      },
    ]);
  });

  it('refuses an oversized or malformed body with 413/400 problem+json', async () => {
    const big = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ crimeReference: 'AS/26/1', pad: 'x'.repeat(100_000) }))
      .expect(413);
    expect(big.body).toMatchObject({ type: 'urn:uk:police:nom:problem:request-too-large', status: 413 });
    const broken = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .set('Content-Type', 'application/json')
      .send('{"crimeReference":')
      .expect(400);
    expect(broken.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses a stale If-Match with 409 and the current revision, and illegal transitions with 409', async () => {
    const { body } = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/004213', offence: 'sexual-assault', offenceCode: '20A', reportedAt: '2026-11-01T10:00:00Z' })
      .expect(201);
    const path = `/forces/avon-somerset/cases/${body.caseId as string}`;
    await http.post(`${path}/investigation`).set('Authorization', avon).expect(200);
    const stale = await http
      .put(`${path}/investigator`)
      .set('Authorization', avon)
      .set('If-Match', '"0"')
      .send({ officerId: 'AS-1' })
      .expect(409);
    expect(stale.body).toMatchObject({ type: 'urn:uk:police:nom:problem:concurrency-conflict', currentRevision: '1' });
    await http.post(`${path}/investigation`).set('Authorization', avon).expect(409);
    await http.post(`${path}/outcome`).set('Authorization', avon).send({ outcomeCode: 18 }).expect(200);
    const closed = await http.post(`${path}/outcome`).set('Authorization', avon).send({ outcomeCode: 1 }).expect(409);
    expect(closed.body.type).toBe('urn:uk:police:nom:problem:state/case-closed');
    const state = await http.get(path).set('Authorization', avon).expect(200);
    expect(state.body).toMatchObject({ status: 'closed', outcomeCode: 18, revision: '2' });
  });

  it('honours Idempotency-Key: a retry returns the first response and stores nothing twice', async () => {
    const key = `retry-${randomUUID()}`;
    const body = { crimeReference: 'AS/26/004300', offence: 'sexual-assault', offenceCode: '20A', reportedAt: '2026-11-01T10:00:00Z' };
    const first = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const retry = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['location']).toBe(first.headers['location']);
    const path = `/forces/avon-somerset/cases/${first.body.caseId as string}`;
    await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"0"');
    // The same key for another request is refused; another force's same key is its own.
    const reused = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .set('Idempotency-Key', key)
      .send({ ...body, crimeReference: 'AS/26/004301' })
      .expect(422);
    expect(reused.body.errors).toEqual([{ field: 'Idempotency-Key', reason: 'was already used with a different request' }]);
    await http.post('/forces/wiltshire/cases').set('Authorization', wilts).set('Idempotency-Key', key).send(body).expect(201);
    // Commands on an existing case: the retry appends nothing.
    const opened = await http.post(`${path}/investigation`).set('Authorization', avon).set('Idempotency-Key', `${key}-open`).expect(200);
    await http.post(`${path}/investigation`).set('Authorization', avon).set('Idempotency-Key', `${key}-open`).expect(200);
    expect(opened.body.revision).toBe('1');
    await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"1"');
    await http.post('/forces/avon-somerset/cases').set('Authorization', avon).set('Idempotency-Key', 'bad key!').send(body).expect(400);
  });

  it('requires a valid token and the right role', async () => {
    await http.get('/forces/avon-somerset/case-summaries').expect(401);
    await http.get('/forces/avon-somerset/case-summaries').set('Authorization', 'Bearer not-a-jwt').expect(401);
    const outsider = await (await import('#platform')).LocalTokenIssuer.create(backbone.config.auth.issuer, backbone.config.auth.audience);
    const forged = await outsider.issue({ force: 'avon-somerset', officerId: 'X-1', roles: ['supervisor'] });
    await http.get('/forces/avon-somerset/case-summaries').set('Authorization', `Bearer ${forged}`).expect(401);
    const researcher = `Bearer ${await backbone.token('avon-somerset', ['researcher'])}`;
    await http.get('/forces/avon-somerset/case-summaries').set('Authorization', researcher).expect(403);
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'])}`;
    const res = await http
      .post(`/forces/avon-somerset/cases/${randomUUID()}/outcome`)
      .set('Authorization', officer)
      .send({ outcomeCode: 1 });
    expect(res.status).toBe(403);
  });
});
