import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { forceTopic, SuspectEventTypes, type ForceCode } from '#contracts';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { testKafka, uniqueName, waitFor } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';
import { SuspectsApiModule } from '#suspects-api';
import { VictimsApiModule } from '#victims-api';

function start(forces: ForceCode[]): Promise<RunningBackbone> {
  return startBackbone(forces, [CasesApiModule, SuspectsApiModule, VictimsApiModule, RelayModule, ProjectorModule]);
}

/** An ISO date `days` after another (UTC calendar arithmetic). */
const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();

describe('the suspects and victims APIs end to end (HTTP -> event store -> relay -> Kafka)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let avon: string;
  let wilts: string;
  let caseId: string;
  const received: KafkaMessage[] = [];
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const plain = kafka.consumer({ groupId: uniqueName('integrator') });

  async function identify(body: Record<string, unknown> = { name: 'Daniel Marsh' }): Promise<string> {
    const res = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', avon)
      .send({ caseId, ...body })
      .expect(201);
    return res.body.suspectId as string;
  }

  async function firstContact(): Promise<string> {
    const res = await http
      .post(`/forces/avon-somerset/cases/${caseId}/victims`)
      .set('Authorization', avon)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    return res.body.victimId as string;
  }

  beforeAll(async () => {
    backbone = await start(['avon-somerset', 'wiltshire']);
    http = request(backbone.app.getHttpServer());
    avon = `Bearer ${await backbone.token('avon-somerset', ['officer', 'supervisor'])}`;
    wilts = `Bearer ${await backbone.token('wiltshire', ['officer', 'supervisor'])}`;
    await plain.connect();
    await plain.subscribe({ topic: forceTopic('avon-somerset', backbone.config.topicPrefix), fromBeginning: true });
    await plain.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
    const crime = await http
      .post('/forces/avon-somerset/cases')
      .set('Authorization', avon)
      .send({ crimeReference: 'AS/26/005001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    caseId = crime.body.caseId;
  });

  afterAll(async () => {
    await plain.disconnect();
    await backbone.close();
  });

  it('publishes the suspect and victim routes in the OpenAPI document', async () => {
    const docs = await http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/forces/{force}/suspects',
        '/forces/{force}/suspects/{suspectId}/bail/extensions',
        '/forces/{force}/cases/{caseId}/victims',
        '/forces/{force}/victims/{victimId}/contact-preferences',
      ]),
    );
  });

  it('identifies, arrests and bails a suspect; bail extension checks the rank; events reach the force topic', async () => {
    const identified = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', avon)
      .send({ caseId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A' })
      .expect(201);
    const suspectId: string = identified.body.suspectId;
    const path = `/forces/avon-somerset/suspects/${suspectId}`;
    expect(identified.headers['location']).toBe(path);
    expect(identified.headers['etag']).toBe('"0"');
    expect(identified.body).toMatchObject({ suspectId, caseId, status: 'identified', repeatSuspect: false, revision: '0' });

    const arrestedAt = hoursAgo(3);
    const arrested = await http
      .post(`${path}/arrest`)
      .set('Authorization', avon)
      .set('If-Match', '"0"')
      .send({ arrestedAt, custodyClockStartedAt: hoursAgo(2) })
      .expect(200);
    expect(arrested.body).toMatchObject({ status: 'in-custody', lastArrestedAt: arrestedAt });
    expect(arrested.headers['etag']).toBe('"1"');

    const bailed = await http
      .post(`${path}/bail`)
      .set('Authorization', avon)
      .send({ authorisedBy: { rank: 'sergeant' }, conditions: ['Not to contact the victim directly or indirectly'] })
      .expect(200);
    expect(bailed.body).toMatchObject({
      status: 'on-bail',
      bail: { conditions: ['Not to contact the victim directly or indirectly'] },
      revision: '2',
    });
    const endsOn = addDays(bailed.body.bail.endsOn as string, 30);

    // Beyond 3 months needs an inspector: the refusal names the field.
    const tooLow = await http
      .post(`${path}/bail/extensions`)
      .set('Authorization', avon)
      .send({ authorisedBy: { rank: 'sergeant' }, endsOn })
      .expect(422);
    expect(tooLow.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooLow.body).toMatchObject({ type: 'urn:uk:police:nom:problem:rule/rank-too-low', status: 422 });
    expect(tooLow.body.errors).toEqual([{ field: '/authorisedBy/rank', reason: expect.stringContaining('inspector') }]);

    const extended = await http
      .post(`${path}/bail/extensions`)
      .set('Authorization', avon)
      .send({ authorisedBy: { rank: 'inspector' }, endsOn })
      .expect(200);
    expect(extended.body).toMatchObject({ status: 'on-bail', bail: { endsOn }, revision: '3' });
    await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"3"');

    // Only a supervisor decides bail.
    const officer = `Bearer ${await backbone.token('avon-somerset', ['officer'])}`;
    await http
      .post(`${path}/bail/extensions`)
      .set('Authorization', officer)
      .send({ authorisedBy: { rank: 'superintendent' }, endsOn: addDays(endsOn, 1) })
      .expect(403);

    const types = [
      SuspectEventTypes.SuspectIdentified,
      SuspectEventTypes.SuspectArrested,
      SuspectEventTypes.PreChargeBailGranted,
      SuspectEventTypes.BailExtended,
    ];
    for (const [revision, type] of types.entries()) {
      const record = await waitFor(`suspect event ${revision} on avon-somerset's topic`, () =>
        received.find(
          (m) => m.key?.toString() === `suspect-${suspectId}` && m.headers?.['ce_nomstreamrevision']?.toString() === String(revision),
        ),
      );
      expect(record.headers?.['ce_type']?.toString()).toBe(type);
      expect(record.headers?.['ce_nomforce']?.toString()).toBe('avon-somerset');
    }
    const bailRecord = received.find(
      (m) => m.key?.toString() === `suspect-${suspectId}` && m.headers?.['ce_type']?.toString() === SuspectEventTypes.BailExtended,
    );
    expect(JSON.parse(bailRecord!.value!.toString())).toMatchObject({
      caseId,
      suspectId,
      bailEndsOn: endsOn,
      authorisedBy: { officerId: 'AV-1001', rank: 'inspector' },
    });
  });

  it('records first contact with a victim, agreed contact preferences and an update given', async () => {
    const contact = await http
      .post(`/forces/avon-somerset/cases/${caseId}/victims`)
      .set('Authorization', avon)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    const victimId: string = contact.body.victimId;
    const path = `/forces/avon-somerset/victims/${victimId}`;
    expect(contact.headers['location']).toBe(path);
    // Rape: first contact and enhanced rights, two events.
    expect(contact.body).toMatchObject({ victimId, caseId, status: 'engaged', enhancedRights: ['most-serious-crime'], revision: '1' });

    const agreed = await http
      .put(`${path}/contact-preferences`)
      .set('Authorization', avon)
      .set('If-Match', contact.headers['etag'] as string)
      .send({
        channels: ['phone'],
        times: ['weekday-evening'],
        leaveMessages: false,
        safeContact: { name: 'Sam', phone: '+44 7700 900123' },
      })
      .expect(200);
    expect(agreed.body).toMatchObject({ agreedChannels: ['phone'], revision: '2' });

    const wrongChannel = await http
      .post(`${path}/updates`)
      .set('Authorization', avon)
      .send({ about: 'suspect-arrested', channel: 'email' })
      .expect(409);
    expect(wrongChannel.body.type).toBe('urn:uk:police:nom:problem:state/channel-not-agreed');
    const updated = await http
      .post(`${path}/updates`)
      .set('Authorization', avon)
      .send({ about: 'suspect-arrested', channel: 'phone', summary: 'Told that the suspect was arrested this morning.' })
      .expect(200);
    expect(updated.body.revision).toBe('3');
    await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"3"');
  });

  it('takes a suspect through every other suspects route', async () => {
    const suspectId = await identify({ name: 'Kieran Voss', croNumber: '123456/12A' });
    const path = `/forces/avon-somerset/suspects/${suspectId}`;
    const send = (method: 'post' | 'put', route: string, body: object = {}, status = 200) =>
      http[method](`${path}${route}`).set('Authorization', avon).send(body).expect(status);

    const scheduledFor = new Date(Date.now() + 86_400_000).toISOString();
    expect((await send('put', '/voluntary-interview', { scheduledFor })).body.voluntaryInterviewFor).toBe(scheduledFor);
    expect(
      (await send('post', '/interviews', { setting: 'voluntary', response: 'no-comment', interviewedAt: hoursAgo(0) })).body
        .voluntaryInterviewFor,
    ).toBeUndefined();
    await send('post', '/arrest', { arrestedAt: hoursAgo(5), custodyClockStartedAt: hoursAgo(4) });
    await send('post', '/interviews', { setting: 'custody', response: 'prepared-statement', interviewedAt: hoursAgo(3) });
    const bailed = await send('post', '/bail', {
      authorisedBy: { rank: 'sergeant' },
      conditions: ['Not to enter Bedminster'],
      victimViewsSoughtAt: hoursAgo(1),
    });
    const { startDate } = bailed.body.bail as { startDate: string };
    const changed = await send('put', '/bail/conditions', { conditions: ['Not to contact the victim'] });
    expect(changed.body.bail.conditions).toEqual(['Not to contact the victim']);
    const withinPolice = await send(
      'post',
      '/bail/court-extensions',
      { court: "Bristol Magistrates' Court", endsOn: addDays(startDate, 120), extendedAt: hoursAgo(0) },
      422,
    );
    expect(withinPolice.body.errors).toEqual([expect.objectContaining({ field: '/endsOn' })]);
    const byCourt = await send('post', '/bail/court-extensions', {
      court: "Bristol Magistrates' Court",
      endsOn: addDays(startDate, 300),
      extendedAt: hoursAgo(0),
    });
    expect(byCourt.body.bail.endsOn).toBe(addDays(startDate, 300));
    expect((await send('post', '/release-under-investigation')).body.status).toBe('released-under-investigation');
    // A release under investigation is reviewed by a sergeant or above, the next review within 90 days.
    const reviewDay = new Date().toISOString().slice(0, 10);
    const lowReview = await send(
      'post',
      '/release-under-investigation/reviews',
      { reviewedBy: { rank: 'constable' }, nextReviewBy: addDays(reviewDay, 30) },
      422,
    );
    expect(lowReview.body.errors).toEqual([expect.objectContaining({ field: '/reviewedBy/rank' })]);
    await send(
      'post',
      '/release-under-investigation/reviews',
      { reviewedBy: { rank: 'sergeant' }, nextReviewBy: addDays(reviewDay, 91) },
      422,
    );
    await send('post', '/release-under-investigation/reviews', { reviewedBy: { rank: 'sergeant' }, nextReviewBy: addDays(reviewDay, 30) });
    expect(
      (await send('post', '/repeat-suspect-flag', { reason: 'PND match in Wiltshire', linkedCaseIds: [randomUUID()] })).body.repeatSuspect,
    ).toBe(true);
    expect((await send('post', '/repeat-suspect-flag/clearance', { reason: 'A different person' })).body.repeatSuspect).toBe(false);
    await send('post', '/disruption-tactics', { tactic: 'offender-management', detail: 'Adopted onto IOM.' });

    const sro = randomUUID();
    const applied = await send('post', '/civil-orders', { orderId: sro, order: 'sexual-risk-order', court: "Bristol Magistrates' Court" });
    expect(applied.body.civilOrders).toEqual([{ orderId: sro, order: 'sexual-risk-order', decision: 'pending' }]);
    const today = new Date().toISOString().slice(0, 10);
    const tooShort = await send('post', `/civil-orders/${sro}/grant`, { grantedAt: hoursAgo(0), expiresOn: addDays(today, 365) }, 422);
    expect(tooShort.body.errors).toEqual([expect.objectContaining({ field: '/expiresOn' })]);
    await send('post', `/civil-orders/${sro}/grant`, { grantedAt: hoursAgo(0), expiresOn: addDays(today, 3 * 366) });
    const applied2 = await send('post', '/civil-orders', { order: 'sexual-harm-prevention-order', court: "Bristol Magistrates' Court" });
    const shpo = (applied2.body.civilOrders as { orderId: string; decision: string }[]).find((o) => o.decision === 'pending')!.orderId;
    await send('post', `/civil-orders/${shpo}/refusal`, { refusedAt: hoursAgo(0) });
    await send('post', `/civil-orders/${randomUUID()}/refusal`, { refusedAt: hoursAgo(0) }, 404);

    // Bail cancelled before its end (PACE s50A): by a sergeant or above; the suspect is then under investigation.
    const second = `/forces/avon-somerset/suspects/${await identify({ name: 'Lee Park' })}`;
    const onSecond = (route: string, body: object = {}, status = 200) =>
      http.post(`${second}${route}`).set('Authorization', avon).send(body).expect(status);
    await onSecond('/arrest', { arrestedAt: hoursAgo(5), custodyClockStartedAt: hoursAgo(4) });
    await onSecond('/bail', { authorisedBy: { rank: 'sergeant' }, conditions: [] });
    const grounds = 'no-longer-necessary-and-proportionate';
    await onSecond('/bail/cancellation', { authorisedBy: { rank: 'constable' }, grounds }, 422);
    await onSecond('/bail/cancellation', { authorisedBy: { rank: 'sergeant' }, grounds: 'not-a-ground' }, 400);
    expect((await onSecond('/bail/cancellation', { authorisedBy: { rank: 'sergeant' }, grounds })).body.status).toBe(
      'released-under-investigation',
    );
    await onSecond('/bail/cancellation', { authorisedBy: { rank: 'sergeant' }, grounds }, 409);

    expect((await send('post', '/no-further-action', { decidedBy: 'cps' })).body.status).toBe('no-further-action');
    const charged = await send('post', '/charge', { cpsDecisionReference: '52AS0421126' });
    expect(charged.body).toMatchObject({ status: 'charged', revision: '18' });
    const again = await send('post', '/charge', { cpsDecisionReference: '52AS0421127' }, 409);
    expect(again.body.type).toBe('urn:uk:police:nom:problem:state/suspect-already-charged');
    const state = await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"18"');
    expect(state.body.civilOrders).toEqual(
      expect.arrayContaining([
        { orderId: sro, order: 'sexual-risk-order', decision: 'granted' },
        { orderId: shpo, order: 'sexual-harm-prevention-order', decision: 'refused' },
      ]),
    );
  });

  it('takes a victim through every other victims route', async () => {
    const contact = await http
      .post(`/forces/avon-somerset/cases/${caseId}/victims`)
      .set('Authorization', avon)
      .send({ offence: 'sexual-assault', channel: 'phone' })
      .expect(201);
    // Every victim of a sexual offence has enhanced rights by rule from first contact.
    expect(contact.body).toMatchObject({ enhancedRights: ['most-serious-crime'], revision: '1' });
    const path = `/forces/avon-somerset/victims/${contact.body.victimId as string}`;
    const send = (method: 'post' | 'put', route: string, body: object = {}, status = 200) =>
      http[method](`${path}${route}`).set('Authorization', avon).send(body).expect(status);

    expect((await send('post', '/enhanced-rights', { categories: ['vulnerable-or-intimidated'] })).body.enhancedRights).toEqual([
      'most-serious-crime',
      'vulnerable-or-intimidated',
    ]);
    await send('post', '/needs-assessments', { needs: ['emotional-support', 'safety-planning'], notes: 'Works shifts.' });
    expect((await send('post', '/isva-referral', { isvaService: 'Avon and Somerset ISVA Service' })).body.isvaReferred).toBe(true);
    await send('post', '/support-referrals', { service: 'sarc', organisation: 'The Bridge SARC, Bristol' });
    await send('post', '/support-referrals', { service: 'sarc', organisation: 'The Bridge SARC, Bristol' }, 409);
    const agreed = await send('put', '/contact-preferences', {
      channels: ['via-isva', 'email'],
      times: ['weekend'],
      leaveMessages: true,
      safeContact: { email: 'sam@example.org' },
    });
    expect(agreed.body.agreedChannels).toEqual(['via-isva', 'email']);
    expect((await send('post', '/special-measures', { measures: ['screens', 'live-link'] })).body.specialMeasures).toEqual([
      'screens',
      'live-link',
    ]);
    expect((await send('post', '/personal-statement/offer')).body.vps).toBe('offered');
    expect((await send('post', '/personal-statement/decline', { comment: 'After the charging decision.' })).body.vps).toBe('declined');
    await send('post', '/personal-statement', { format: 'written', documentReference: 'AS-DOC-2027-018842' }, 409);
    await send('post', '/personal-statement/offer');
    expect((await send('post', '/personal-statement', { format: 'written', documentReference: 'AS-DOC-2027-018842' })).body.vps).toBe(
      'taken',
    );
    expect((await send('post', '/letters', { letter: 'first-contact', channel: 'email' })).body.lettersSent).toEqual(['first-contact']);
    await send('post', '/letters', { letter: 'first-contact', channel: 'email' }, 409);
    await send('post', '/updates', { about: 'investigation-progress', channel: 'via-isva' });
    const noAccount = await send('post', '/withdrawal', { reason: 'other', stage: 'early-investigation' }, 409);
    expect(noAccount.body.type).toBe('urn:uk:police:nom:problem:state/account-required');
    expect(
      (await send('post', '/withdrawal', { reason: 'other', stage: 'early-investigation', account: 'Needs a break.' })).body.status,
    ).toBe('withdrawn');
    expect((await send('post', '/re-engagement')).body.status).toBe('engaged');
    const complaint = await send('post', '/complaints', { about: 'communication', account: 'Nobody rang back.' });
    expect(complaint.body.revision).toBe('16');
  });

  it("hides one force's suspects and victims from another (404, nothing revealed)", async () => {
    const suspectId = await identify();
    const victimId = await firstContact();
    for (const [method, path, body] of [
      ['get', `/forces/wiltshire/suspects/${suspectId}`, {}],
      ['post', `/forces/wiltshire/suspects/${suspectId}/arrest`, { arrestedAt: hoursAgo(1), custodyClockStartedAt: hoursAgo(1) }],
      ['get', `/forces/avon-somerset/suspects/${suspectId}`, {}],
      ['get', `/forces/wiltshire/victims/${victimId}`, {}],
      ['post', `/forces/wiltshire/victims/${victimId}/updates`, { about: 'other', channel: 'in-person' }],
      ['get', `/forces/avon-somerset/victims/${victimId}`, {}],
    ] as const) {
      const res = await http[method](path).set('Authorization', wilts).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(res.body)).not.toContain(suspectId);
      expect(JSON.stringify(res.body)).not.toContain(victimId);
    }
    const none = await http.get(`/forces/wiltshire/suspects/${randomUUID()}`).set('Authorization', wilts).expect(404);
    const hidden = await http.get(`/forces/wiltshire/suspects/${suspectId}`).set('Authorization', wilts).expect(404);
    expect(hidden.body).toEqual(none.body);
    // Still there for its own force.
    await http.get(`/forces/avon-somerset/suspects/${suspectId}`).set('Authorization', avon).expect(200);
    await http.get(`/forces/avon-somerset/victims/${victimId}`).set('Authorization', avon).expect(200);
  });

  it('answers bad input with 400 problem+json naming the field, and stores nothing', async () => {
    const suspectId = randomUUID();
    const bad = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', avon)
      .send({ caseId, suspectId, name: 'Daniel Marsh', pncId: '12345678', force: 'wiltshire' })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: '/pncId', reason: 'pncId must be a PNC ID (e.g. 12/345678A)' },
        { field: '/force', reason: 'property force should not exist' },
      ]),
    );
    await http.get(`/forces/avon-somerset/suspects/${suspectId}`).set('Authorization', avon).expect(404);

    const existing = await identify();
    const arrest = await http
      .post(`/forces/avon-somerset/suspects/${existing}/arrest`)
      .set('Authorization', avon)
      .send({ arrestedAt: '2026-11-05T06:45:00', custodyClockStartedAt: hoursAgo(1) })
      .expect(400);
    expect(arrest.body.errors).toEqual([
      { field: '/arrestedAt', reason: 'arrestedAt must be an ISO 8601 date-time with an offset (Z or +hh:mm)' },
    ]);
    const rank = await http
      .post(`/forces/avon-somerset/suspects/${existing}/bail`)
      .set('Authorization', avon)
      .send({ authorisedBy: { rank: 'sheriff' }, conditions: [] })
      .expect(400);
    expect(rank.body.errors).toEqual([expect.objectContaining({ field: '/authorisedBy/rank' })]);

    const victimId = await firstContact();
    const phone = await http
      .put(`/forces/avon-somerset/victims/${victimId}/contact-preferences`)
      .set('Authorization', avon)
      .send({ channels: ['phone'], times: [], leaveMessages: true, safeContact: { phone: 'call me' } })
      .expect(400);
    expect(phone.body.errors).toEqual([{ field: '/safeContact/phone', reason: 'phone must be a telephone number' }]);
    await http.get(`/forces/avon-somerset/suspects/${existing}`).set('Authorization', avon).expect(200).expect('ETag', '"0"');
  });

  it('refuses a stale If-Match with 409 and the current revision', async () => {
    const suspectId = await identify();
    const path = `/forces/avon-somerset/suspects/${suspectId}`;
    const checks = { systems: ['pnc', 'pnd'], resultSummary: 'No previous convictions.' };
    await http
      .post(`${path}/history-checks`)
      .set('Authorization', avon)
      .set('If-Match', '"0"')
      .send(checks)
      .expect(200)
      .expect('ETag', '"1"');
    const stale = await http.post(`${path}/history-checks`).set('Authorization', avon).set('If-Match', '"0"').send(checks).expect(409);
    expect(stale.body).toMatchObject({ type: 'urn:uk:police:nom:problem:concurrency-conflict', currentRevision: '1' });

    const victimId = await firstContact();
    const stalePrefs = await http
      .put(`/forces/avon-somerset/victims/${victimId}/contact-preferences`)
      .set('Authorization', avon)
      .set('If-Match', '"0"')
      .send({ channels: ['in-person'], times: [], leaveMessages: false, safeContact: {} })
      .expect(409);
    expect(stalePrefs.body).toMatchObject({ type: 'urn:uk:police:nom:problem:concurrency-conflict', currentRevision: '1' });
  });

  it('honours Idempotency-Key: a retry returns the first response and stores nothing twice', async () => {
    const key = `suspect-${randomUUID()}`;
    const body = { caseId, name: 'Lee Carter' };
    const first = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', avon)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const retry = await http
      .post('/forces/avon-somerset/suspects')
      .set('Authorization', avon)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['location']).toBe(first.headers['location']);
    expect(retry.headers['etag']).toBe('"0"');

    const victimId = await firstContact();
    const update = { about: 'investigation-progress', channel: 'in-person' };
    const path = `/forces/avon-somerset/victims/${victimId}`;
    const given = await http
      .post(`${path}/updates`)
      .set('Authorization', avon)
      .set('Idempotency-Key', `${key}-update`)
      .send(update)
      .expect(200);
    const again = await http
      .post(`${path}/updates`)
      .set('Authorization', avon)
      .set('Idempotency-Key', `${key}-update`)
      .send(update)
      .expect(200);
    expect(again.body).toEqual(given.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await http.get(path).set('Authorization', avon).expect(200).expect('ETag', '"2"');
  });
});
