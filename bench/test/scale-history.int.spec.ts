import pg from 'pg';
import { FORCE_CODES, type RecordedEvent } from '#contracts';
import { PostgresEventStore } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import {
  assertCatalogueEvents,
  EVENTS_PER_INVESTIGATION,
  FORCE_CYCLE,
  SCALE_WINDOW_EVENTS,
  seededEventsOf,
  seedScaleHistory,
} from '../src/scale-history.js';

const databaseUrl = requiredEnv('DATABASE_URL');
const EVENTS = 2 * SCALE_WINDOW_EVENTS;

describe("the scale bench's national history (seeded in SQL)", () => {
  let store: PostgresEventStore;
  let client: pg.Client;
  const events: RecordedEvent[] = [];

  beforeAll(async () => {
    store = await PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('scalehist') });
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // In two steps, as the bench extends its log from the small size to the large one.
    await seedScaleHistory(client, store.schema, 1, SCALE_WINDOW_EVENTS);
    await seedScaleHistory(client, store.schema, SCALE_WINDOW_EVENTS + 1, EVENTS);
    for await (const event of store.readAll({ batchSize: 5000 })) events.push(event);
  });

  afterAll(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`);
    await client?.end();
    await store?.close();
  });

  it('holds valid catalogue events of every step, each at its own position', () => {
    expect(events).toHaveLength(EVENTS);
    expect(() => assertCatalogueEvents(events)).not.toThrow();
    expect(events.map((e) => Number(e.position))).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(EVENTS);
  });

  it('spreads the investigations over the 43 forces by the simulator weights, as the bench expects to count them', () => {
    expect(new Set(FORCE_CYCLE)).toEqual(new Set(FORCE_CODES));
    for (const force of ['metropolitan', 'city-of-london', 'durham'] as const) {
      expect(events.filter((e) => e.metadata.force === force).length).toBe(seededEventsOf(force, EVENTS));
    }
    expect(seededEventsOf('metropolitan', EVENTS)).toBeGreaterThan(5 * seededEventsOf('durham', EVENTS));
  });

  it('gives each investigation a case and a victim stream of ten events, in revision order, one force each', async () => {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    expect(byStream.size).toBe((2 * EVENTS) / EVENTS_PER_INVESTIGATION);
    for (const [streamId, stream] of byStream) {
      expect({ streamId, revisions: stream.map((e) => Number(e.revision)) }).toEqual({
        streamId,
        revisions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      });
      expect(new Set(stream.map((e) => e.metadata.force)).size).toBe(1);
    }
    const { rows } = await client.query<{ n: string; revisions: string; forces: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE revision = 9) AS revisions,
              count(*) FILTER (WHERE s.force = (SELECT e.force FROM ${store.schema}.events e WHERE e.stream_id = s.stream_id LIMIT 1)) AS forces
         FROM ${store.schema}.streams s`,
    );
    expect(rows[0]).toEqual({ n: String(byStream.size), revisions: String(byStream.size), forces: String(byStream.size) });
  });

  it('is checked for real: an event off its schema, or a sample lacking a step, is refused', () => {
    const broken = events.map((e, i) => (i === 7 ? { ...e, data: { ...(e.data as Record<string, unknown>), caseId: 'not-a-uuid' } } : e));
    expect(() => assertCatalogueEvents(broken)).toThrow('is not a valid catalogue event');
    expect(() => assertCatalogueEvents(events.slice(0, 100))).toThrow('the sample holds no');
  });

  it('refuses a range that is not made of whole windows', async () => {
    await expect(seedScaleHistory(client, store.schema, EVENTS + 1, EVENTS + 500)).rejects.toThrow('whole windows');
  });
});
