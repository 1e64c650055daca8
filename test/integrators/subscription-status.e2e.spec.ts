import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import kafkajs from 'kafkajs';
import request from 'supertest';
import { EVENT_CATALOGUE, forceTopic, type ForceCode } from '#contracts';
import { CasesApiModule } from '#cases-api';
import { forceGroupPrefix, forcePrincipal, kafkaAclBindings, KafkaMessageBus, KAFKA_PROJECTOR_PRINCIPAL, toKafkajsAcl } from '#messaging';
import { ProjectorModule } from '#projections-api';
import { RelayModule } from '#relay-runtime';
import { PrivacyModule } from '#privacy';
import { SuspectsApiModule } from '#suspects-api';
import { testKafka, uniqueName, waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from '../support/backbone.js';
import { grantForceTopic, storeEvents, waitPublished, writeForceHistory } from '../support/integrators.js';

const { Kafka, logLevel } = kafkajs;

/**
 * Schemas that resolve and a subscription status (issue 18 items 2 and 6; ADRs 0031, 0032). Every record's
 * `ce_dataschema` is the URL of `GET /schemas/{type}`, served without a token, cacheable (ETag, 304) and valid for the
 * record's data; `GET /forces/{force}/subscription-status` tells a force's integration team, with its own token, how
 * far the relay has published its force and where each of its own consumer groups stands; never another force's.
 */
const A: ForceCode = 'kent';
const B: ForceCode = 'essex';
const SCHEMA_BASE = 'https://schemas.test.nom.example/v1/schemas';

describe('served schemas and the subscription status', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  const admin = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING }).admin();
  let granted: kafkajs.AclEntry[] = [];
  const records: kafkajs.KafkaMessage[] = [];
  const groupA = `${forceGroupPrefix(A)}${uniqueName('crm')}`;

  beforeAll(async () => {
    backbone = await startBackbone(
      [A, B],
      [CasesApiModule, SuspectsApiModule, VictimsApiModule, PrivacyModule, RelayModule, ProjectorModule],
      {
        NOM_SCHEMA_BASE_URL: SCHEMA_BASE,
      },
    );
    http = request(backbone.app.getHttpServer());
    await admin.connect();
    granted = [
      ...(await grantForceTopic(admin, A, backbone.config.topicPrefix)),
      // The API's principal in production (ADR 0032): its generated bindings on this run's topics.
      ...kafkaAclBindings([A, B], backbone.config.topicPrefix)
        .filter((b) => b.principal === `User:${KAFKA_PROJECTOR_PRINCIPAL}`)
        .map(toKafkajsAcl),
    ];
    await admin.createAcls({ acl: granted });
    await writeForceHistory(http, backbone, A);
    await writeForceHistory(http, backbone, B);
    const count = (await storeEvents(backbone, A)).length;
    await waitPublished(admin, backbone, A, count);
    // Force A's integration team reads its whole topic with its own group and commits.
    const consumer = new Kafka({ ...testKafka(forcePrincipal(A)), logLevel: logLevel.NOTHING }).consumer({ groupId: groupA });
    await consumer.connect();
    await consumer.subscribe({ topic: forceTopic(A, backbone.config.topicPrefix), fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void records.push(message)) });
    await waitFor('the team to read its topic', () => records.length >= count, { timeoutMs: 60_000 });
    await consumer.disconnect();
  });

  afterAll(async () => {
    if (granted.length > 0) await admin.deleteAcls({ filters: granted }).catch(() => undefined);
    await admin.disconnect();
    await backbone?.close();
  });

  it("serves, without a token, the schema each record's ce_dataschema names, and the record's data is valid for it", async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const message of records) {
      const type = message.headers!['ce_type']!.toString();
      const url = message.headers!['ce_dataschema']!.toString();
      expect(url).toBe(`${SCHEMA_BASE}/${type}`);
      const res = await http.get(`/schemas/${type}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
      expect(res.body.$id).toBe(url);
      const validate = ajv.getSchema(url) ?? ajv.compile(res.body as object);
      expect({ type, valid: validate(JSON.parse(message.value!.toString())), errors: validate.errors ?? null }).toEqual({
        type,
        valid: true,
        errors: null,
      });
    }
  });

  it('lists every event type and version ever published, and answers 304 to a cache that has the schema, 404 to an unknown type', async () => {
    const index = await http.get('/schemas').expect(200);
    expect(index.body.schemas).toEqual(EVENT_CATALOGUE.map((e) => ({ type: e.type, url: `${SCHEMA_BASE}/${e.type}` })));
    const superseded = await http.get('/schemas/uk.police.nom.cases.crime-recorded.v1').expect(200);
    expect(superseded.headers['cache-control']).toBe('public, max-age=86400');
    const etag = superseded.headers['etag'];
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    await http.get('/schemas/uk.police.nom.cases.crime-recorded.v1').set('If-None-Match', etag!).expect(304);
    await http.get('/schemas/uk.police.nom.cases.crime-recorded.v2').set('If-None-Match', etag!).expect(200);
    const unknown = await http.get('/schemas/uk.police.nom.cases.crime-recorded.v9').expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("tells the force's team, with its own token, how far the relay has published and where its group stands", async () => {
    const token = await backbone.token(A, ['force-integration'], 'KT-INT1');
    const res = await http.get(`/forces/${A}/subscription-status`).set('Authorization', `Bearer ${token}`).expect(200);
    const events = await storeEvents(backbone, A);
    const positions = records.map((m) => BigInt(m.headers!['ce_nomposition']!.toString()));
    const last = records.find((m) => BigInt(m.headers!['ce_nomposition']!.toString()) === positions.reduce((a, b) => (b > a ? b : a)))!;
    expect(res.body.relay).toEqual({
      checkpoint: expect.stringMatching(/^\d+$/),
      unpublishedEvents: 0,
      lastPublished: { position: last.headers!['ce_nomposition']!.toString(), recordedAt: last.headers!['ce_time']!.toString() },
    });
    expect(res.body.topic).toBe(forceTopic(A, backbone.config.topicPrefix));
    const ends = (res.body.kafka.endOffsets as { offset: string }[]).reduce((n, e) => n + Number(e.offset), 0);
    expect(ends).toBe(events.length);
    expect(res.body.kafka.groups).toEqual([{ groupId: groupA, partitions: expect.any(Array), lag: 0 }]);
  });

  it("shows another force's team nothing of it, and the API's principal only the force's own groups", async () => {
    const tokenB = await backbone.token(B, ['force-integration'], 'EX-INT1');
    await http.get(`/forces/${A}/subscription-status`).set('Authorization', `Bearer ${tokenB}`).expect(404);
    const officerA = await backbone.token(A, ['officer'], 'KT-1001');
    await http.get(`/forces/${A}/subscription-status`).set('Authorization', `Bearer ${officerA}`).expect(403);
    await http.get(`/forces/${A}/subscription-status`).expect(401);
    // B's status lists none of A's groups; the projector's principal (the API's, ADR 0032) describes A's groups by its ACLs.
    const own = await http.get(`/forces/${B}/subscription-status`).set('Authorization', `Bearer ${tokenB}`).expect(200);
    expect(own.body.kafka.groups).toEqual([]);
    const bus = new KafkaMessageBus({
      clientId: uniqueName('status'),
      brokers: testKafka().brokers,
      partitions: 3,
      ...(testKafka(KAFKA_PROJECTOR_PRINCIPAL).sasl ? { sasl: testKafka(KAFKA_PROJECTOR_PRINCIPAL).sasl! } : {}),
    });
    try {
      const seen = await bus.offsets(forceTopic(A, backbone.config.topicPrefix), forceGroupPrefix(A));
      expect(seen?.groups.map((g) => g.groupId)).toEqual([groupA]);
    } finally {
      await bus.close();
    }
  });
});
