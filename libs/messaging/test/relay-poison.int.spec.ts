import { Kafka, logLevel, type EachMessagePayload } from 'kafkajs';
import pg from 'pg';
import { forceTopic, SupersededCaseEventTypes, upcast } from '#contracts';
import { PostgresEventStore, withUpcasting } from '#event-store';
import { anEvent, insertGarbledEvent, requiredEnv, testKafka, testMetadata, uniqueName, waitFor } from '#testing';
import { KafkaMessageBus, Relay } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * Issue 11 item 2: no single event may stop the relay. Rows an operator INSERTed past the append path (metadata
 * with no force, a v1 payload its upcaster cannot take, a force that is no force) sit between good events: the
 * relay records each in its dead letters with the reason, publishes the good ones around them, and its
 * checkpoint passes them.
 */
describe('relay: a garbled row in the log', () => {
  const prefix = uniqueName('rp');
  let raw: PostgresEventStore;
  let bus: KafkaMessageBus;
  let db: pg.Client;

  beforeAll(async () => {
    raw = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es') });
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'relay-poison-test', partitions: 1 });
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await bus.close();
    await raw.close();
    await db.query(`DROP SCHEMA ${raw.schema} CASCADE`);
    await db.end();
  });

  it('is dead-lettered with its reason, and the events after it are published', async () => {
    const store = withUpcasting(raw, upcast); // the relay's store: the log as stored, upcast
    const before = anEvent('avon-somerset');
    await store.append(`case-${(before.data as { caseId: string }).caseId}`, [before], 'no-stream');
    const noForce = await insertGarbledEvent(db, raw.schema, { type: before.type, data: before.data, metadata: { actor: 'AS-1' } });
    const notUpcastable = await insertGarbledEvent(db, raw.schema, {
      type: SupersededCaseEventTypes.CrimeRecordedV1,
      data: null,
      metadata: testMetadata('avon-somerset'),
    });
    const nowhere = await insertGarbledEvent(db, raw.schema, {
      type: before.type,
      data: before.data,
      metadata: testMetadata('avon-somerset', { force: 'atlantis' }),
      force: 'avon-somerset',
    });
    const after = anEvent('avon-somerset');
    const last = await store.append(`case-${(after.data as { caseId: string }).caseId}`, [after], 'no-stream');

    const relay = new Relay(store, bus, { name: uniqueName('relay'), topicPrefix: prefix, forces: ['avon-somerset'], batchSize: 2 });
    await relay.run(AbortSignal.abort()); // loads the checkpoint and creates the topics
    await waitFor('the relay to pass the head of the log', async () => {
      await relay.relayOnce();
      return relay.position >= last.position;
    });
    expect(relay.published).toBe(2);
    expect(await raw.loadCheckpoint(relay.deadLetters.reader)).toBe(last.position);

    const letters = await relay.deadLetters.list();
    expect(letters.map((l) => [l.position, l.eventId, l.streamId, l.stage])).toEqual([
      [noForce.position, noForce.eventId, noForce.streamId, 'decode'],
      [notUpcastable.position, notUpcastable.eventId, notUpcastable.streamId, 'upcast'],
      [nowhere.position, nowhere.eventId, nowhere.streamId, 'publish'],
    ]);
    expect(letters[0]!.reason).toMatch(/no force/);
    expect(letters[1]).toMatchObject({ type: SupersededCaseEventTypes.CrimeRecordedV1, revision: 0n });
    expect(letters[2]!.reason).toMatch(/atlantis/);
    expect(await relay.deadLetters.count()).toBe(3);

    // Both good events reached the force's topic, the garbled ones did not.
    const kafka = new Kafka({ ...testKafka(), logLevel: logLevel.NOTHING });
    const plain = kafka.consumer({ groupId: uniqueName('plain') });
    const received: EachMessagePayload['message'][] = [];
    await plain.connect();
    try {
      await plain.subscribe({ topic: forceTopic('avon-somerset', prefix), fromBeginning: true });
      await plain.run({ eachMessage: ({ message }) => Promise.resolve(void received.push(message)) });
      await waitFor('both good events on the topic', () => received.length >= 2);
    } finally {
      await plain.disconnect();
    }
    expect(received.map((m) => m.headers?.['ce_id']?.toString())).toEqual([before.id, after.id]);
  });
});
