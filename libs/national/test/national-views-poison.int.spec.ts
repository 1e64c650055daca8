import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  assertValidEvents,
  catalogueEntry,
  ENCRYPTED_PREFIX,
  erasedValueFor,
  LearningEventTypes,
  personalFieldsOf,
  SuspectEventTypes,
  upcast,
  type ForceCode,
  type NewEvent,
} from '#contracts';
import { PostgresAccessLog } from '#audit';
import { LocalKeyWrapper, PostgresEventStore, PostgresSubjectKeyStore, withEncryption, withUpcasting, withValidation } from '#event-store';
import { insertGarbledEvent, requiredEnv, testMetadata, uniqueName } from '#testing';
import { NationalViews } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

function adopted(force: ForceCode): NewEvent {
  return {
    id: randomUUID(),
    type: LearningEventTypes.ModelVersionAdopted,
    data: { force, version: '2026.1', adoptedAt: '2026-02-01T09:00:00.000Z' },
    metadata: testMetadata(force),
  };
}

function identified(suspectId: string): NewEvent {
  return {
    id: randomUUID(),
    type: SuspectEventTypes.SuspectIdentified,
    data: { ...catalogueEntry(SuspectEventTypes.SuspectIdentified)!.example, caseId: randomUUID(), suspectId },
    metadata: testMetadata('avon-somerset'),
  };
}

/**
 * Issue 11 item 2 as the issue found it: a suspect's personal field holding `nom-enc:v1:` and 40 `A`s, on a stream
 * with no key, stopped the national views ("no key and no erasure recorded for subject ..."). With a token that
 * does not decrypt under the stream's key, and an arrest with no case (its fold fails), between good events: each
 * is recorded in the views' dead letters with the reason, the good events after them are folded, and the
 * checkpoint passes them.
 */
describe('national views: a garbled row in the log', () => {
  let raw: PostgresEventStore;
  let keys: PostgresSubjectKeyStore;
  let db: pg.Client;
  let accessLog: PostgresAccessLog;
  const schema = uniqueName('natv');
  const auditSchema = uniqueName('natv_audit');

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('natv_es') });
    keys = await PostgresSubjectKeyStore.open({
      connectionString: databaseUrl,
      schema: raw.schema,
      wrapper: LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek()),
    });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    accessLog = await PostgresAccessLog.open(databaseUrl, auditSchema, 2);
  });

  afterAll(async () => {
    await accessLog?.close();
    await keys.close();
    await raw.close();
    for (const s of [raw.schema, schema, auditSchema]) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await db.end();
  });

  it('is dead-lettered with its reason, and the events after it are folded', async () => {
    const store = withUpcasting(withValidation(withEncryption(raw, keys, { personalFieldsOf, erasedValueFor }), assertValidEvents), upcast);
    await store.append('operating-model-wiltshire', [adopted('wiltshire')], 'no-stream');
    const token = `${ENCRYPTED_PREFIX}${'A'.repeat(40)}`;
    const noKey = await insertGarbledEvent(db, raw.schema, {
      type: SuspectEventTypes.SuspectIdentified,
      data: { ...(identified(randomUUID()).data as object), name: token },
      metadata: testMetadata('avon-somerset'),
    });
    const keyed = randomUUID();
    await store.append(`suspect-${keyed}`, [identified(keyed)], 'no-stream');
    const tampered = await insertGarbledEvent(db, raw.schema, {
      type: SuspectEventTypes.SuspectIdentified,
      streamId: `suspect-${keyed}`,
      revision: 1n,
      data: { ...(identified(keyed).data as object), name: token },
      metadata: testMetadata('avon-somerset'),
    });
    const noCase = await insertGarbledEvent(db, raw.schema, {
      type: SuspectEventTypes.SuspectArrested,
      data: {},
      metadata: testMetadata('avon-somerset'),
    });
    await store.append('operating-model-durham', [adopted('durham')], 'no-stream');

    const views = await NationalViews.open(store, {
      databaseUrl,
      schema,
      matchingKey: randomBytes(32),
      batchSize: 2,
      accessLog,
    });
    try {
      await views.catchUp();
      const { rows } = await db.query<{ force: string }>(`SELECT force FROM ${schema}.model_adoptions ORDER BY force`);
      expect(rows.map((r) => r.force)).toEqual(['durham', 'wiltshire']);
      const { rows: suspects } = await db.query<{ suspect_id: string }>(`SELECT DISTINCT suspect_id::text FROM ${schema}.suspect_keys`);
      expect(suspects.map((r) => r.suspect_id)).toEqual([keyed]);

      const letters = await views.deadLetters.list();
      expect(letters.map((l) => [l.position, l.eventId, l.streamId, l.stage])).toEqual([
        [noKey.position, noKey.eventId, noKey.streamId, 'decrypt'],
        [tampered.position, tampered.eventId, tampered.streamId, 'decrypt'],
        [noCase.position, noCase.eventId, noCase.streamId, 'apply'],
      ]);
      expect(letters[0]!.reason).toMatch(/no key and no erasure recorded/);
      expect(letters[1]!.reason).toMatch(/does not decrypt/);
      expect(await views.deadLetters.count()).toBe(3);
    } finally {
      await views.close();
    }
  });
});
