import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { CasesApiModule } from '#cases-api';
import { forceTopic, NATIONAL, NationalEventTypes, type ForceCode, type RepeatSuspectMatchedData } from '#contracts';
import { NationalModule, NationalViewsService } from '#national';
import { RelayModule } from '#relay-runtime';
import { SuspectsApiModule } from '#suspects-api';
import { requiredEnv, testKafka, uniqueName, waitFor, waitForTopics } from '#testing';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * The national repeat-suspect index end to end: suspects identified over HTTP in three forces, the index
 * (its own reader of the log) matches two of them, and the relay publishes the match on exactly the two forces'
 * topics, read here by a plain consumer of all three.
 */
const FORCES: ForceCode[] = ['avon-somerset', 'wiltshire', 'durham'];

describe('the national repeat-suspect index end to end (HTTP -> event store -> index -> relay -> Kafka)', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  const schema = uniqueName('nat_e2e');
  const received: (KafkaMessage & { topic: string })[] = [];
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const plain = kafka.consumer({ groupId: uniqueName('national_watch') });

  const identify = async (force: ForceCode, body: Record<string, string>): Promise<{ caseId: string; suspectId: string }> => {
    const officer = `Bearer ${await backbone.token(force, ['officer'])}`;
    const crime = await http
      .post(`/forces/${force}/cases`)
      .set('Authorization', officer)
      .send({
        crimeReference: `${force.slice(0, 2).toUpperCase()}/26/${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        offence: 'rape-of-female-16-plus',
        reportedAt: '2026-11-02T21:14:00Z',
      })
      .expect(201);
    const caseId = crime.body.caseId as string;
    const suspect = await http
      .post(`/forces/${force}/suspects`)
      .set('Authorization', officer)
      .send({ caseId, ...body })
      .expect(201);
    return { caseId, suspectId: suspect.body.suspectId as string };
  };

  beforeAll(async () => {
    backbone = await startBackbone(FORCES, [
      CasesApiModule,
      SuspectsApiModule,
      RelayModule,
      NationalModule.forRoot({ matchingKey: randomBytes(32), schema }),
    ]);
    http = request(backbone.app.getHttpServer());
    const topics = FORCES.map((f) => forceTopic(f, backbone.config.topicPrefix));
    await waitForTopics(kafka, topics);
    await plain.connect();
    await plain.subscribe({ topics, fromBeginning: true });
    await plain.run({ eachMessage: ({ topic, message }) => Promise.resolve(void received.push({ ...message, topic })) });
  });

  afterAll(async () => {
    await plain.disconnect();
    await backbone?.close();
    const client = new pg.Client({ connectionString: requiredEnv('DATABASE_URL') });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const arrest = async (force: ForceCode, suspectId: string, officerId: string): Promise<void> => {
    const officer = `Bearer ${await backbone.token(force, ['officer'], officerId)}`;
    await http
      .post(`/forces/${force}/suspects/${suspectId}/arrest`)
      .set('Authorization', officer)
      .send({ arrestedAt: '2026-11-03T08:00:00Z', custodyClockStartedAt: '2026-11-03T08:20:00Z' })
      .expect(200);
  };
  const isMatch = (m: KafkaMessage): boolean => m.headers?.['ce_type']?.toString() === NationalEventTypes.RepeatSuspectMatched;
  /** Waits until every event committed so far is on Kafka and read here (relay checkpoint, then each topic's high watermark). */
  const drain = async (): Promise<void> => {
    const head = await backbone.infrastructure.store.headPosition();
    await waitFor(
      'the relay past the head',
      async () => (await backbone.infrastructure.store.loadCheckpoint('relay')) >= head || undefined,
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const force of FORCES) {
        const topic = forceTopic(force, backbone.config.topicPrefix);
        const published = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
        await waitFor(`all ${published} records of ${topic}`, () => received.filter((m) => m.topic === topic).length >= published);
      }
    } finally {
      await admin.disconnect();
    }
  };

  it('tells no force of a match until its own suspect is arrested, then that force only, with no personal data', async () => {
    // The same person, recorded differently by two forces; a different person in a third.
    const avon = await identify('avon-somerset', { name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A' });
    const wilts = await identify('wiltshire', { name: 'MARSH, Daniel', dateOfBirth: '1988-04-17', pncId: '12/0345678A' });
    const durham = await identify('durham', { name: 'Paul Walker', dateOfBirth: '1979-02-03', pncId: '99/123456B' });

    // Identified only: the index holds the match, but nothing is disclosed (a throwaway suspect is no lookup).
    await waitFor(
      'the index past the identifications',
      async () =>
        backbone.app.get(NationalViewsService).views.position >= (await backbone.infrastructure.store.headPosition()) || undefined,
    );
    await drain();
    expect(
      received.some((m) => m.topic === forceTopic('durham', backbone.config.topicPrefix) && m.value?.toString().includes(durham.suspectId)),
    ).toBe(true);
    expect(received.filter(isMatch)).toEqual([]);

    await arrest('avon-somerset', avon.suspectId, 'AS-0042');
    const onAvon = await waitFor('the match on avon-somerset', () =>
      received.find((m) => m.topic === forceTopic('avon-somerset', backbone.config.topicPrefix) && isMatch(m)),
    );
    const avonData = JSON.parse(onAvon.value!.toString()) as RepeatSuspectMatchedData;
    expect(avonData).toMatchObject({
      suspect: { force: 'avon-somerset', ...avon },
      matchedSuspect: { force: 'wiltshire', ...wilts },
      matchedOn: ['name-dob', 'name-dob-loose', 'pnc-id'],
      strength: 'definite',
    });
    expect(onAvon.headers?.['ce_nomforce']?.toString()).toBe('avon-somerset');
    await drain();
    // Wiltshire's suspect has reached no trigger: Wiltshire is not told, nor is Durham.
    expect(received.filter(isMatch).map((m) => m.topic)).toEqual([forceTopic('avon-somerset', backbone.config.topicPrefix)]);

    await arrest('wiltshire', wilts.suspectId, 'WI-0042');
    const onWilts = await waitFor('the match on wiltshire', () =>
      received.find((m) => m.topic === forceTopic('wiltshire', backbone.config.topicPrefix) && isMatch(m)),
    );
    const wiltsData = JSON.parse(onWilts.value!.toString()) as RepeatSuspectMatchedData;
    expect(wiltsData).toMatchObject({
      matchId: avonData.matchId,
      suspect: { force: 'wiltshire', ...wilts },
      matchedSuspect: { force: 'avon-somerset', ...avon },
    });
    // No name, birthday or PNC ID travels with it.
    for (const m of [onAvon, onWilts]) expect(m.value!.toString()).not.toMatch(/Marsh|1988-04-17|345678/i);
    await drain();
    const matches = received.filter(isMatch);
    expect(matches.map((m) => m.topic).sort()).toEqual([
      forceTopic('avon-somerset', backbone.config.topicPrefix),
      forceTopic('wiltshire', backbone.config.topicPrefix),
    ]);
    // Each disclosure is in the Section 62 log, against the officer whose arrest opened it.
    const page = await backbone.infrastructure.accessLog.query({ excludingActor: 'nobody', subjectId: avon.suspectId, limit: 50 });
    const disclosures = page.entries.filter((e) => e.action === 'disclose' && e.route === 'national:repeat-suspect-match');
    expect(disclosures.map((e) => [e.actor?.officerId, e.scopeForce, e.status]).sort()).toEqual([
      ['AS-0042', 'avon-somerset', 200],
      ['WI-0042', 'wiltshire', 200],
    ]);
  });

  it("discloses a match to a force after its supervisor's recorded review of the suspect (officers cannot record one)", async () => {
    const durhamTopic = forceTopic('durham', backbone.config.topicPrefix);
    const second = await identify('durham', { name: 'Daniel Marsh', dateOfBirth: '1988-04-17', pncId: '12/345678A' });
    await waitFor(
      'the index past the identification',
      async () =>
        backbone.app.get(NationalViewsService).views.position >= (await backbone.infrastructure.store.headPosition()) || undefined,
    );
    await drain();
    expect(received.filter((m) => m.topic === durhamTopic && isMatch(m))).toEqual([]);
    const review = { reason: 'Same modus operandi as a series reported elsewhere; check before interview.' };
    const officer = `Bearer ${await backbone.token('durham', ['officer'], 'DU-0042')}`;
    await http
      .post(`/forces/durham/suspects/${second.suspectId}/repeat-suspect-check-reviews`)
      .set('Authorization', officer)
      .send(review)
      .expect(403);
    const supervisor = `Bearer ${await backbone.token('durham', ['supervisor'], 'DU-0900')}`;
    await http
      .post(`/forces/durham/suspects/${second.suspectId}/repeat-suspect-check-reviews`)
      .set('Authorization', supervisor)
      .send(review)
      .expect(200);
    const onDurham = await waitFor('the matches on durham', () => {
      const found = received.filter((m) => m.topic === durhamTopic && isMatch(m));
      return found.length >= 2 ? found : undefined;
    });
    for (const m of onDurham)
      expect((JSON.parse(m.value!.toString()) as RepeatSuspectMatchedData).suspect).toMatchObject({ force: 'durham', ...second });
  });

  it('serves the conformance view to the national team and national auditors only', async () => {
    const nationalTeam = `Bearer ${await backbone.token(NATIONAL, ['national-team'], 'NT-0001')}`;
    const auditor = `Bearer ${await backbone.token('wiltshire', ['national-auditor'], 'WI-0002')}`;
    const officer = `Bearer ${await backbone.token('wiltshire', ['officer', 'supervisor', 'administrator'], 'WI-0003')}`;
    const report = await http.get('/national/conformance').set('Authorization', nationalTeam).expect(200);
    expect(report.body).toMatchObject({ suppressionThreshold: 10, national: { victimUpdatesOnTime: { suppressed: true } } });
    expect((report.body as { forces: { force: string }[] }).forces.map((f) => f.force)).toEqual(FORCES.slice().sort());
    await http.get('/national/conformance').set('Authorization', auditor).expect(200);
    await http.get('/national/conformance').set('Authorization', officer).expect(403);
    await http.get('/national/conformance').expect(401);
    const docs = await http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toContain('/national/conformance');
  });
});
