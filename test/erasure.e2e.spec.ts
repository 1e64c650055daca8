import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import pg from 'pg';
import request from 'supertest';
import { exportPublicKeyPem, generateAuditSigner, LogSealer, publicKeyFromPem, verifyLog } from '#audit';
import { CasesApiModule } from '#cases-api';
import { ERASED, forceTopic, isEncryptedToken, PrivacyEventTypes, type RecordedEvent } from '#contracts';
import { decryptField, PostgresEventStore } from '#event-store';
import { KafkaMessageBus } from '#messaging';
import { RelayModule } from '#relay-runtime';
import { PrivacyModule } from '#privacy';
import { ForceProjector, investigationDetail } from '#projections';
import { SuspectsApiModule } from '#suspects-api';
import { testKafka, uniqueName, waitFor } from '#testing';
import { VictimsApiModule } from '#victims-api';
import { startBackbone, type RunningBackbone } from './support/backbone.js';

/**
 * Erasure without rewriting the log (issue 5, ADR 0011). A victim (safe contact, needs notes, the case's device
 * extraction notice about them) and a suspect (name, date of birth, PNC id, bail conditions) are recorded over
 * HTTP with the relay running; an administrator erases both. Before, the clear values are readable where
 * authorised (so every check below can fail); after, they appear nowhere: not in a replay of the store (through
 * the decorator, the export path, nor raw), not in a projection rebuilt from Kafka, not in a re-consumption of the
 * force's topic, not in stored idempotent responses. Nothing else is lost and the sealed log still verifies.
 */
const CLEAR = [
  'Zephyrine', // safe contact name
  '900461', // safe contact phone
  'zq.safe@example.org', // safe contact email
  'Harbourside Bakery', // needs assessment notes
  'Messages with the suspect about Castle Park', // device extraction notice: what is sought
  'Corroborate the account of 2 November', // and why
  'Barnaby Thistlewood', // suspect name
  '1979-03-14', // date of birth
  '79/246813K', // PNC id
  'Marlowe Crescent', // bail condition
];
const FORCE = 'avon-somerset';
const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString();

const found = (text: string): string[] => CLEAR.filter((clear) => text.includes(clear));

describe('erasure: after a subject is erased, no replay, projection rebuild, Kafka re-consumption or export shows their data', () => {
  let backbone: RunningBackbone;
  let http: ReturnType<typeof request>;
  let officer: string;
  let admin: string;
  let integrator: string;
  let raw: PostgresEventStore;
  let db: pg.Client;
  let caseId: string;
  let victimId: string;
  let suspectId: string;
  const signer = generateAuditSigner();
  const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
  const cleanup: (() => Promise<unknown>)[] = [];

  /**
   * The whole log through the decorator (the export path), once readAll has reached the head: the read horizon
   * (ADR 0003) can lag behind the last commit while another transaction in the cluster is open.
   */
  const decrypting = async (): Promise<RecordedEvent[]> => {
    const head = await backbone.infrastructure.store.headPosition();
    return waitFor(
      'readAll to reach the head of the log',
      async () => {
        const all: RecordedEvent[] = [];
        for await (const event of backbone.infrastructure.store.readAll({ batchSize: 50 })) all.push(event);
        return all.at(-1)?.position === head ? all : undefined;
      },
      { timeoutMs: 60_000 },
    );
  };
  const dataText = (events: readonly RecordedEvent[]): string => JSON.stringify(events.map((e) => e.data));
  const rawText = async (): Promise<string> =>
    (await db.query<{ t: string }>(`SELECT data::text || metadata::text AS t FROM ${backbone.config.eventStoreSchema}.events`)).rows
      .map((r) => r.t)
      .join('\n');
  const idempotencyText = async (): Promise<string> =>
    (await db.query<{ t: string }>(`SELECT row_to_json(k)::text AS t FROM ${backbone.config.eventStoreSchema}.idempotency_keys k`)).rows
      .map((r) => r.t)
      .join('\n');
  const idempotencyRowsNaming = async (id: string): Promise<number> =>
    (await db.query(`SELECT 1 FROM ${backbone.config.eventStoreSchema}.idempotency_keys WHERE $1 = ANY(subject_ids)`, [id])).rowCount ?? 0;
  const seal = async (): Promise<void> => {
    const head = await raw.headPosition();
    const sealer = await LogSealer.open({
      connectionString: backbone.config.databaseUrl!,
      schema: backbone.config.eventStoreSchema,
      signer,
    });
    try {
      await waitFor('the sealer to reach the head of the log', async () => (await sealer.seal()).position >= head, { timeoutMs: 60_000 });
    } finally {
      await sealer.close();
    }
  };
  const verify = () =>
    verifyLog({
      connectionString: backbone.config.databaseUrl!,
      schema: backbone.config.eventStoreSchema,
      publicKey: publicKeyFromPem(exportPublicKeyPem(signer)),
    });

  /** Every record of the force's topic, read by a consumer group that never read it before. */
  const reconsume = async (expected: number): Promise<KafkaMessage[]> => {
    const received: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('reconsume') });
    await consumer.connect();
    await consumer.subscribe({ topic: forceTopic(FORCE, backbone.config.topicPrefix), fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
    await waitFor(`${expected} records on the force topic`, () => received.length >= expected, { timeoutMs: 60_000 });
    await consumer.disconnect();
    return received;
  };
  const forceEventCount = async (): Promise<number> => (await decrypting()).filter((e) => e.metadata.force === FORCE).length;
  /** Decrypts a record's personal fields with the key the integration API hands out (or says why it cannot). */
  const decryptRecord = async (message: KafkaMessage): Promise<string> => {
    const keyId = message.key!.toString();
    const res = await http.get(`/forces/${FORCE}/subject-keys/${keyId}`).set('Authorization', integrator);
    if (res.status !== 200) return `key ${res.status}`;
    const key = Buffer.from(res.body.key as string, 'base64url');
    const data = JSON.parse(message.value!.toString()) as Record<string, unknown>;
    const eventId = message.headers!['ce_id']!.toString();
    const clear: unknown[] = [];
    const walk = (node: unknown, pointer: string): void => {
      if (isEncryptedToken(node)) clear.push(decryptField(key, eventId, pointer, node));
      else if (node && typeof node === 'object' && !Array.isArray(node))
        for (const [k, v] of Object.entries(node)) walk(v, `${pointer}/${k}`);
    };
    walk(data, '');
    return JSON.stringify(clear);
  };

  beforeAll(async () => {
    backbone = await startBackbone([FORCE], [CasesApiModule, SuspectsApiModule, VictimsApiModule, PrivacyModule, RelayModule]);
    http = request(backbone.app.getHttpServer());
    officer = `Bearer ${await backbone.token(FORCE, ['officer', 'supervisor'], 'AS-4471')}`;
    admin = `Bearer ${await backbone.token(FORCE, ['administrator'], 'AS-ADM7')}`;
    integrator = `Bearer ${await backbone.token(FORCE, ['force-integration'], 'AS-INT1')}`;
    raw = await PostgresEventStore.open({ connectionString: backbone.config.databaseUrl!, schema: backbone.config.eventStoreSchema });
    db = new pg.Client({ connectionString: backbone.config.databaseUrl });
    await db.connect();

    const crime = await http
      .post(`/forces/${FORCE}/cases`)
      .set('Authorization', officer)
      .send({ crimeReference: 'AS/26/009001', offence: 'rape-of-female-16-plus', reportedAt: '2026-11-02T21:14:00Z' })
      .expect(201);
    caseId = crime.body.caseId as string;
    const casePath = `/forces/${FORCE}/cases/${caseId}`;
    await http.post(`${casePath}/investigation`).set('Authorization', officer).expect(200);
    await http
      .post(`${casePath}/device-extractions`)
      .set('Authorization', officer)
      .send({
        deviceOwner: 'victim',
        scope: { from: '2026-10-30', to: '2026-11-02', dataCategories: ['messages'] },
        notice: {
          whatIsSought: CLEAR[4],
          why: CLEAR[5],
          retention: 'Kept while the case is investigated and prosecuted.',
          deletion: 'Deleted once no longer needed.',
          mayRefuse: true,
          refusalDoesNotEndInvestigation: true,
        },
      })
      .expect(200);

    const victim = await http
      .post(`${casePath}/victims`)
      .set('Authorization', officer)
      .send({ offence: 'rape-of-female-16-plus', channel: 'in-person' })
      .expect(201);
    victimId = victim.body.victimId as string;
    const victimPath = `/forces/${FORCE}/victims/${victimId}`;
    await http
      .put(`${victimPath}/contact-preferences`)
      .set('Authorization', officer)
      .send({
        channels: ['phone'],
        times: ['weekday-evening'],
        leaveMessages: false,
        safeContact: { name: 'Zephyrine Q', phone: '+44 7700 900461', email: CLEAR[2] },
      })
      .expect(200);
    await http
      .post(`${victimPath}/needs-assessments`)
      .set('Authorization', officer)
      .send({ needs: ['emotional-support'], notes: 'Works nights at Harbourside Bakery' })
      .expect(200);

    const suspect = await http
      .post(`/forces/${FORCE}/suspects`)
      .set('Authorization', officer)
      .send({ caseId, name: CLEAR[6], dateOfBirth: CLEAR[7], pncId: CLEAR[8] })
      .expect(201);
    suspectId = suspect.body.suspectId as string;
    const suspectPath = `/forces/${FORCE}/suspects/${suspectId}`;
    await http
      .post(`${suspectPath}/arrest`)
      .set('Authorization', officer)
      .send({ arrestedAt: hoursAgo(3), custodyClockStartedAt: hoursAgo(2) })
      .expect(200);
    // With an Idempotency-Key: the stored first response repeats the bail conditions (forgotten on erasure).
    await http
      .post(`${suspectPath}/bail`)
      .set('Authorization', officer)
      .set('Idempotency-Key', uniqueName('bail-key'))
      .send({ authorisedBy: { rank: 'sergeant' }, conditions: ['Not to enter Marlowe Crescent'] })
      .expect(200);
  });

  afterAll(async () => {
    for (const close of cleanup.reverse()) await close().catch(() => undefined);
    await db?.end();
    await raw?.close();
    await backbone?.close();
  });

  it('erases the victim and the suspect, and afterwards their personal data appears nowhere', async () => {
    // ---- before: the data is there, readable only where authorised --------------------------------------------
    const before = await decrypting();
    expect(found(dataText(before))).toEqual(CLEAR); // the export / replay path decrypts
    expect(found(await rawText())).toEqual([]); // at rest only ciphertext
    // The kept first response (bail conditions) is sealed under the Idempotency-Key: never in clear, even before.
    expect(found(await idempotencyText())).toEqual([]);
    expect(await idempotencyRowsNaming(suspectId)).toBeGreaterThan(0);
    const suspectBefore = await http.get(`/forces/${FORCE}/suspects/${suspectId}`).set('Authorization', officer).expect(200);
    expect(suspectBefore.body.bail.conditions).toEqual(['Not to enter Marlowe Crescent']);
    const victimBefore = await http.get(`/forces/${FORCE}/victims/${victimId}`).set('Authorization', officer).expect(200);
    const eventsBefore = await forceEventCount();
    const recordsBefore = await reconsume(eventsBefore);
    expect(found(recordsBefore.map((m) => m.value!.toString()).join('\n'))).toEqual([]); // Kafka carries ciphertext
    // ...that the force's integration team can decrypt with the stream's key while the subject is not erased.
    const decryptedBefore = (await Promise.all(recordsBefore.map(decryptRecord))).join('\n');
    expect(found(decryptedBefore)).toEqual(CLEAR);
    await seal();
    expect((await verify()).intact).toBe(true);

    // ---- erasure: administrators of the subject's force only; idempotent ----------------------------------------
    const wiltsAdmin = `Bearer ${await backbone.token('wiltshire', ['administrator'], 'WI-ADM1')}`;
    const otherForce = await http
      .post('/forces/wiltshire/erasures')
      .set('Authorization', wiltsAdmin)
      .send({ subjectType: 'victim', subjectId: victimId, reason: 'dpa-s47-erasure' })
      .expect(404);
    const nowhere = await http
      .post('/forces/wiltshire/erasures')
      .set('Authorization', wiltsAdmin)
      .send({ subjectType: 'victim', subjectId: randomUUID(), reason: 'dpa-s47-erasure' })
      .expect(404);
    expect(otherForce.text).toBe(nowhere.text);
    expect(found(dataText(await decrypting()))).toEqual(CLEAR);
    await http
      .post(`/forces/${FORCE}/erasures`)
      .set('Authorization', officer)
      .send({ subjectType: 'victim', subjectId: victimId, reason: 'dpa-s47-erasure' })
      .expect(403);
    const badReason = await http
      .post(`/forces/${FORCE}/erasures`)
      .set('Authorization', admin)
      .send({ subjectType: 'victim', subjectId: victimId, reason: 'because' })
      .expect(400);
    expect(badReason.headers['content-type']).toMatch(/application\/problem\+json/);
    const erasedVictim = await http
      .post(`/forces/${FORCE}/erasures`)
      .set('Authorization', admin)
      .set('Idempotency-Key', uniqueName('erase-victim'))
      .send({ subjectType: 'victim', subjectId: victimId, reason: 'dpa-s47-erasure', reference: 'AS-DP-2027-0142' })
      .expect(201);
    expect(erasedVictim.body).toMatchObject({
      subjectType: 'victim',
      subjectId: victimId,
      caseId,
      keysDestroyed: [`victim-${victimId}`, `case-${caseId}`],
      reason: 'dpa-s47-erasure',
      reference: 'AS-DP-2027-0142',
      erasedBy: 'AS-ADM7',
      alreadyErased: false,
    });
    const again = await http
      .post(`/forces/${FORCE}/erasures`)
      .set('Authorization', admin)
      .send({ subjectType: 'victim', subjectId: victimId, reason: 'court-order' })
      .expect(200);
    expect(again.body).toEqual({ ...erasedVictim.body, alreadyErased: true });
    await http
      .post(`/forces/${FORCE}/erasures`)
      .set('Authorization', admin)
      .send({ subjectType: 'suspect', subjectId: suspectId, reason: 'retention-period-expired' })
      .expect(201);

    // ---- (1) replay, (4) export: the decrypting readAll and the raw rows -------------------------------------------
    const after = await decrypting();
    expect(found(dataText(after))).toEqual([]);
    expect(found(await rawText())).toEqual([]);
    expect(found(await idempotencyText())).toEqual([]);
    expect(await idempotencyRowsNaming(suspectId)).toBe(0);
    const identified = after.find((e) => e.streamId === `suspect-${suspectId}` && e.revision === 0n)!;
    expect(identified.data).toMatchObject({ caseId, suspectId, name: ERASED, dateOfBirth: ERASED, pncId: ERASED });
    // Nothing else is lost: the same events, plus the two erasure facts (which hold no personal data).
    expect(after.filter((e) => e.type !== PrivacyEventTypes.SubjectErased).map((e) => e.id)).toEqual(before.map((e) => e.id));
    expect(after.filter((e) => e.type === PrivacyEventTypes.SubjectErased)).toHaveLength(2);
    expect(await forceEventCount()).toBe(eventsBefore + 2);

    // Aggregates still load: the non-personal state is intact, the erased fields show the marker.
    const suspectAfter = await http.get(`/forces/${FORCE}/suspects/${suspectId}`).set('Authorization', officer).expect(200);
    expect(suspectAfter.body).toEqual({
      ...suspectBefore.body,
      bail: { ...suspectBefore.body.bail, conditions: [ERASED] },
      revision: suspectBefore.body.revision,
    });
    const victimAfter = await http.get(`/forces/${FORCE}/victims/${victimId}`).set('Authorization', officer).expect(200);
    expect(victimAfter.body).toEqual(victimBefore.body);
    // New personal data would bring the subject back: refused; non-personal commands go on.
    const refused = await http
      .put(`/forces/${FORCE}/suspects/${suspectId}/bail/conditions`)
      .set('Authorization', officer)
      .send({ conditions: ['Not to enter Marlowe Crescent'] })
      .expect(409);
    expect(refused.body.type).toBe('urn:uk:police:nom:problem:state/subject-erased');
    await http.post(`/forces/${FORCE}/suspects/${suspectId}/release-under-investigation`).set('Authorization', officer).expect(200);

    // The seal covers the ciphertext, which erasure never touches: the chain still verifies.
    await seal();
    const verified = await verify();
    expect(verified).toMatchObject({ intact: true, unsealedRecords: 0 });
    expect(verified.verifiedRecords).toBe(after.length + 1);

    // ---- (3) Kafka re-consumption: a new group from the beginning; the keys are gone ------------------------------
    const eventsAfter = await forceEventCount();
    const recordsAfter = await reconsume(eventsAfter);
    expect(found(recordsAfter.map((m) => m.value!.toString()).join('\n'))).toEqual([]);
    expect(found((await Promise.all(recordsAfter.map(decryptRecord))).join('\n'))).toEqual([]);
    for (const keyId of [`victim-${victimId}`, `case-${caseId}`, `suspect-${suspectId}`]) {
      const gone = await http.get(`/forces/${FORCE}/subject-keys/${keyId}`).set('Authorization', integrator).expect(410);
      expect(gone.body.type).toBe('urn:uk:police:nom:problem:subject-erased');
    }
    const notice = recordsAfter
      .filter((m) => m.headers?.['ce_type']?.toString() === PrivacyEventTypes.SubjectErased)
      .map((m) => JSON.parse(m.value!.toString()) as { subjectId: string });
    expect(notice.map((n) => n.subjectId).sort()).toEqual([victimId, suspectId].sort());

    // ---- (2) projection rebuild: a fresh force projector from the beginning of the topic -------------------------
    const bus = new KafkaMessageBus({ ...testKafka(), clientId: 'erasure-rebuild', partitions: 3 });
    const projector = await ForceProjector.open({
      databaseUrl: backbone.config.databaseUrl!,
      force: FORCE,
      schema: uniqueName('p_erase'),
      topicPrefix: backbone.config.topicPrefix,
      groupPrefix: uniqueName('g'),
    });
    cleanup.push(
      () => bus.close(),
      () => projector.close(),
      () => db.query(`DROP SCHEMA IF EXISTS ${projector.schema} CASCADE`),
    );
    await projector.start(bus);
    // The whole topic, not a count of the case's events: the topic has three partitions, and other streams' events
    // can be taken in before the case's.
    await waitFor('the force topic rebuilt', async () => (await projector.processedCount()) >= eventsAfter, { timeoutMs: 60_000 });
    expect(await projector.deadLetters()).toEqual([]); // the encrypted device-extraction notice was accepted
    expect((await investigationDetail(projector.views, caseId))?.status).toBe('under-investigation');
    const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
      projector.schema,
    ]);
    let projected = '';
    for (const { table_name } of tables.rows) {
      projected += (await db.query<{ t: string }>(`SELECT t::text AS t FROM ${projector.schema}.${table_name} t`)).rows
        .map((r) => r.t)
        .join('\n');
    }
    expect(projected).toContain(caseId);
    expect(found(projected)).toEqual([]);
  });

  it('keys are handed to the force integration role only, for streams of its own force', async () => {
    const wilts = `Bearer ${await backbone.token('wiltshire', ['force-integration'], 'WI-INT1')}`;
    const statuses = [
      (await http.get(`/forces/${FORCE}/subject-keys/case-${caseId}`).set('Authorization', officer)).status,
      (await http.get(`/forces/${FORCE}/subject-keys/not-a-stream`).set('Authorization', integrator)).status,
      (await http.get(`/forces/${FORCE}/subject-keys/case-${caseId}`).set('Authorization', wilts)).status,
      (await http.get(`/forces/wiltshire/subject-keys/case-${caseId}`).set('Authorization', wilts)).status,
    ];
    expect(statuses).toEqual([403, 404, 404, 404]);
  });
});
