import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CaseEventTypes, SupersededCaseEventTypes, upcast, type NewEvent } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { insertGarbledEvent, requiredEnv, testMetadata, uniqueName } from '#testing';
import { NationalProjector } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

function crimeRecorded(caseId: string): NewEvent {
  const at = '2026-03-01T10:00:00.000Z';
  return {
    id: randomUUID(),
    type: CaseEventTypes.CrimeRecorded,
    data: {
      caseId,
      crimeReference: 'K/26/000001',
      offence: 'sexual-assault',
      offenceCode: '20A',
      n100Reference: null,
      reportedAt: at,
      recordedAt: at,
    },
    metadata: testMetadata('kent'),
  };
}

/**
 * Issue 11 item 2: no single event may stop the national projector. Garbled rows (metadata with no force, a v1
 * payload its upcaster cannot take, a v2 payload its schema refuses) between good events are recorded in its dead
 * letters with the reason; the good events after them are projected and its checkpoint passes them.
 */
describe('national projector: a garbled row in the log', () => {
  let raw: PostgresEventStore;
  let db: pg.Client;
  const schema = uniqueName('natp');

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es_natp') });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await raw.close();
    for (const s of [raw.schema, schema]) await db.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await db.end();
  });

  it('is dead-lettered with its reason, and the events after it are projected', async () => {
    const store = withUpcasting(raw, upcast);
    const [first, second] = [randomUUID(), randomUUID()];
    await store.append(`case-${first}`, [crimeRecorded(first)], 'no-stream');
    const good = crimeRecorded(randomUUID());
    const noForce = await insertGarbledEvent(db, raw.schema, { type: good.type, data: good.data, metadata: null });
    const notUpcastable = await insertGarbledEvent(db, raw.schema, {
      type: SupersededCaseEventTypes.CrimeRecordedV1,
      data: null,
      metadata: testMetadata('kent'),
    });
    const invalid = await insertGarbledEvent(db, raw.schema, {
      type: CaseEventTypes.CrimeRecorded,
      data: { caseId: 'not-a-uuid' },
      metadata: testMetadata('kent'),
    });
    const last = await store.append(`case-${second}`, [crimeRecorded(second)], 'no-stream');

    const projector = await NationalProjector.open({ databaseUrl, store, schema, batchSize: 2 });
    try {
      await projector.catchUp({ timeoutMs: 60_000 });
      const cases: { case_id: string }[] = await projector.manager.query(`SELECT case_id FROM ${schema}."kpi_cases" ORDER BY case_id`);
      expect(cases.map((c) => c.case_id)).toEqual([first, second].sort());
      expect((await projector.builds()).filter((b) => b.status === 'live').every((b) => b.appliedPosition >= last.position)).toBe(true);

      const letters = await projector.deadLetters.list();
      expect(letters.map((l) => [l.position, l.eventId, l.streamId, l.stage])).toEqual([
        [noForce.position, noForce.eventId, noForce.streamId, 'decode'],
        [notUpcastable.position, notUpcastable.eventId, notUpcastable.streamId, 'upcast'],
        [invalid.position, invalid.eventId, invalid.streamId, 'apply'],
      ]);
      expect(letters[0]!.reason).toMatch(/metadata/);
      expect(letters[2]!.reason).toMatch(/invalid event: \/data\//);
      expect(await projector.deadLetters.count()).toBe(3);
    } finally {
      await projector.close();
    }
  });
});
