import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  assertValidEvents,
  catalogueEntry,
  ENCRYPTED_PREFIX,
  erasedValueFor,
  personalFieldsOf,
  upcast,
  VictimEventTypes,
  type NewEvent,
} from '#contracts';
import { LocalKeyWrapper, PostgresEventStore, PostgresSubjectKeyStore, withEncryption, withUpcasting, withValidation } from '#event-store';
import { DecisionRunner } from '#platform';
import { insertGarbledEvent, requiredEnv, testMetadata, uniqueName } from '#testing';
import { VictimUpdatesProcessManager } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

function firstContact(caseId: string, victimId: string): NewEvent {
  return {
    id: randomUUID(),
    type: VictimEventTypes.FirstContactMade,
    data: { ...catalogueEntry(VictimEventTypes.FirstContactMade)!.example, caseId, victimId },
    metadata: testMetadata('avon-somerset'),
  };
}

/**
 * Issue 11 item 2: no single event may stop the process managers. Between good events sit rows an operator wrote
 * past the append path: a personal field holding a "token" no key decrypts (the issue's `nom-enc:v1:AAAA...`),
 * metadata with no force, and a first contact with no case (its reaction fails). Each is recorded in the manager's
 * dead letters with the reason; the reactions to the good events after them happen and the checkpoint passes them.
 */
describe('victim updates process manager: a garbled row in the log', () => {
  let raw: PostgresEventStore;
  let keys: PostgresSubjectKeyStore;
  let db: pg.Client;

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('pm_poison') });
    keys = await PostgresSubjectKeyStore.open({
      connectionString: databaseUrl,
      schema: raw.schema,
      wrapper: LocalKeyWrapper.fromBase64(LocalKeyWrapper.generateKek()),
    });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await keys.close();
    await raw.close();
    await db.query(`DROP SCHEMA ${raw.schema} CASCADE`);
    await db.end();
  });

  it('is dead-lettered with its reason, and the reactions to the events after it happen', async () => {
    const store = withUpcasting(withValidation(withEncryption(raw, keys, { personalFieldsOf, erasedValueFor }), assertValidEvents), upcast);
    const runner = new DecisionRunner(store);
    const [caseId, before, after] = [randomUUID(), randomUUID(), randomUUID()];
    await store.append(`victim-${before}`, [firstContact(caseId, before)], 'no-stream');
    const notes = {
      ...catalogueEntry(VictimEventTypes.NeedsAssessmentCompleted)!.example,
      caseId,
      victimId: randomUUID(),
      notes: `${ENCRYPTED_PREFIX}${'A'.repeat(40)}`,
    };
    const undecryptable = await insertGarbledEvent(db, raw.schema, {
      type: VictimEventTypes.NeedsAssessmentCompleted,
      data: notes,
      metadata: testMetadata('avon-somerset'),
    });
    const noForce = await insertGarbledEvent(db, raw.schema, {
      type: VictimEventTypes.FirstContactMade,
      data: firstContact(caseId, randomUUID()).data,
      metadata: {},
    });
    const noCase = await insertGarbledEvent(db, raw.schema, {
      type: VictimEventTypes.FirstContactMade,
      data: {},
      metadata: testMetadata('avon-somerset'),
    });
    const last = await store.append(`victim-${after}`, [firstContact(caseId, after)], 'no-stream');

    const manager = await VictimUpdatesProcessManager.open(store, runner, {
      databaseUrl,
      schema: raw.schema,
      batchSize: 2,
      clock: () => new Date('2026-11-30T10:00:00Z'),
    });
    try {
      await manager.catchUp();
      const { rows } = await db.query<{ victim_id: string }>(
        `SELECT victim_id FROM ${raw.schema}.pm_case_victims WHERE case_id = $1 ORDER BY victim_id`,
        [caseId],
      );
      expect(rows.map((r) => r.victim_id)).toEqual([before, after].sort());
      expect(await raw.loadCheckpoint('victim-updates')).toBeGreaterThanOrEqual(last.position);

      const letters = await manager.deadLetters.list();
      expect(letters.map((l) => [l.position, l.eventId, l.streamId, l.stage])).toEqual([
        [undecryptable.position, undecryptable.eventId, undecryptable.streamId, 'decrypt'],
        [noForce.position, noForce.eventId, noForce.streamId, 'decode'],
        [noCase.position, noCase.eventId, noCase.streamId, 'apply'],
      ]);
      expect(letters[0]!.reason).toMatch(/no key and no erasure recorded/);
      expect(letters[1]).toMatchObject({ type: VictimEventTypes.FirstContactMade, reason: 'metadata names no force' });
      expect(await manager.deadLetters.count()).toBe(3);
    } finally {
      await manager.close();
    }
  });
});
