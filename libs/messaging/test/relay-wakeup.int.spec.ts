import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { forceTopic } from '#contracts';
import { PostgresAppendListener, PostgresEventStore } from '#event-store';
import { anEvent, requiredEnv, testKafka, uniqueName, waitFor } from '#testing';
import { KafkaMessageBus, Relay } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');
/** Longer than any wait below: a relay that relied on its poll would not publish within the test. */
const POLL_MS = 3_600_000;

/**
 * Issue 14 item 2 (ADR 0028): the relay learns of a committed append by LISTEN/NOTIFY, not by polling. Its poll is
 * set to an hour here, so an event appended while it idles reaches Kafka only if the notification woke it.
 */
describe('relay: woken by the append notification', () => {
  const prefix = uniqueName('rw');
  let store: PostgresEventStore;
  let bus: KafkaMessageBus;
  let listener: PostgresAppendListener;

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es') });
    bus = new KafkaMessageBus({ ...testKafka(), clientId: 'relay-wakeup-test', partitions: 1 });
    listener = new PostgresAppendListener({ connectionString: databaseUrl, schema: store.schema });
  });

  afterAll(async () => {
    await listener.close();
    await bus.close();
    await store.close();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`DROP SCHEMA ${store.schema} CASCADE`);
    await db.end();
  });

  it('publishes an event appended while it idles, with an hour-long poll', async () => {
    const relay = new Relay(store, bus, {
      name: uniqueName('relay'),
      topicPrefix: prefix,
      forces: ['avon-somerset'],
      wakeup: listener,
      idlePollMs: POLL_MS,
    });
    const controller = new AbortController();
    const running = relay.run(controller.signal);
    try {
      // Caught up on an empty log and idle: the first wait after LISTEN returns once, the next one sleeps.
      await waitFor('the relay to idle on the listener', () => Promise.resolve(relay.position === 0n && listener.waiting > 0));
      const event = anEvent('avon-somerset');
      const appended = await store.append(`case-${(event.data as { caseId: string }).caseId}`, [event], 'no-stream');
      await waitFor('the relay to publish the appended event', () => Promise.resolve(relay.position >= appended.position));
      expect(relay.published).toBe(1);
      expect(listener.notifications).toBeGreaterThanOrEqual(1);

      const kafka = new Kafka({ ...testKafka(), clientId: 'relay-wakeup-reader', logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(forceTopic('avon-somerset', prefix));
      await admin.disconnect();
      expect(offsets.map((o) => o.high)).toEqual(['1']);
    } finally {
      controller.abort();
      await running;
    }
  });

  it('notifies once per appending transaction, however many events it appends', async () => {
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      let received = 0;
      other.on('notification', () => (received += 1));
      await other.query(`LISTEN "${store.schema}_appended"`);
      const three = [anEvent('avon-somerset'), anEvent('avon-somerset'), anEvent('avon-somerset')];
      await store.append(`case-${(three[0]!.data as { caseId: string }).caseId}`, three, 'no-stream');
      const one = anEvent('avon-somerset');
      await store.append(`case-${(one.data as { caseId: string }).caseId}`, [one], 'no-stream');
      await waitFor('both appends to be notified', () => Promise.resolve(received >= 2));
      expect(received).toBe(2);
    } finally {
      await other.end();
    }
  });
});
