import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertValidEvents, InvalidEventError, type RecordedEvent } from '#contracts';
import { anEvent, requiredEnv, uniqueName, waitFor } from '#testing';
import { PostgresEventStore, WrongExpectedRevisionError, withValidation, type EventStore } from '../src/index.js';
import { eventStoreContract } from './event-store.contract.js';

const databaseUrl = requiredEnv('DATABASE_URL');

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

async function openStore(poolSize = 10): Promise<PostgresEventStore> {
  return PostgresEventStore.open({ connectionString: databaseUrl, schema: uniqueName('es'), poolSize });
}

async function closeStore(store: EventStore): Promise<void> {
  await store.close();
  await dropSchema((store as PostgresEventStore).schema);
}

eventStoreContract(PostgresEventStore.name, () => openStore(), closeStore);

describe(`${PostgresEventStore.name} under concurrency`, () => {
  let store: PostgresEventStore;
  beforeEach(async () => {
    store = await openStore(24);
  });
  afterEach(async () => {
    await closeStore(store);
  });

  it('lets exactly one of 16 writers racing on the same revision win; the others get a typed conflict', async () => {
    const id = `case-${randomUUID()}`;
    await store.append(id, [anEvent()], 'no-stream');
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => store.append(id, [anEvent()], 0n)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(15);
    for (const r of lost) expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.streamRevision(id)).toBe(1n);
  });

  it('lets exactly one of 16 writers creating the same stream win', async () => {
    const id = `case-${randomUUID()}`;
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => store.append(id, [anEvent()], 'no-stream')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store.streamRevision(id)).toBe(0n);
  });

  it('never lets a tailing reader skip an event that commits late (8 writers, one transaction held open)', async () => {
    const controller = new AbortController();
    const seen: RecordedEvent[] = [];
    const tail = (async () => {
      for await (const event of store.subscribeToAll({ batchSize: 50, idlePollMs: 2, signal: controller.signal })) {
        seen.push(event);
      }
    })();

    // A writer that takes its position early and commits late, while the others keep committing.
    const slow = new pg.Client({ connectionString: databaseUrl });
    await slow.connect();
    await slow.query('BEGIN');
    const late = anEvent();
    await slow.query(`SELECT * FROM ${store.schema}.append_to_stream($1, $2, 'no-stream', NULL, $3, $4, $5, $6)`, [
      `case-${randomUUID()}`,
      late.metadata.force,
      [late.id],
      [late.type],
      [JSON.stringify(late.data)],
      [JSON.stringify(late.metadata)],
    ]);

    const writers = 8;
    const perWriter = 60;
    const appended: string[] = [late.id];
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) {
          const event = anEvent();
          appended.push(event.id);
          await store.append(`case-${randomUUID()}`, [event], 'no-stream');
        }
      }),
    );
    // Everything the others wrote is committed; the late event is not, so the reader must not have passed it.
    await slow.query('COMMIT');
    await slow.end();

    await waitFor('the reader to see every event', () => seen.length >= appended.length);
    controller.abort();
    await tail;

    expect(seen).toHaveLength(appended.length);
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(appended));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.position > seen[i - 1]!.position).toBe(true);
  });

  it('streams the whole log in batches with a bounded number of rows held', async () => {
    let head = 0n;
    for (let i = 0; i < 20; i++) {
      head = (
        await store.append(
          `case-${randomUUID()}`,
          Array.from({ length: 25 }, () => anEvent()),
          'no-stream',
        )
      ).position;
    }
    // The read horizon is cluster-wide (ADR 0003): another session's open transaction can hold it below our appends
    // for a while. Wait until the last append is readable, then read the whole log in one pass.
    await waitFor('the read horizon to pass the last append', async () => {
      for await (const event of store.readAll({ fromPosition: head - 1n, maxCount: 1 })) return event.position === head;
      return false;
    });
    let count = 0;
    let last = 0n;
    for await (const event of store.readAll({ batchSize: 64 })) {
      expect(event.position > last).toBe(true);
      last = event.position;
      count += 1;
    }
    expect(count).toBe(500);
  });
});

describe('appending through the catalogue', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await closeStore(store);
  });

  it('refuses an invalid event with the field and the reason, and stores nothing', async () => {
    const validating = withValidation(store, assertValidEvents);
    const id = `case-${randomUUID()}`;
    const bad = { ...anEvent(), data: { caseId: 'not-a-uuid', openedAt: 'yesterday', extra: 1 } };
    const error = await validating.append(id, [anEvent(), bad], 'no-stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).violations).toEqual(
      expect.arrayContaining([
        { field: '/data/caseId', reason: 'must match format "uuid"' },
        { field: '/data/openedAt', reason: 'must match format "date-time"' },
        { field: '/data/extra', reason: 'is not allowed' },
      ]),
    );
    expect(await store.streamRevision(id)).toBeUndefined();
    await expect(validating.append(id, [anEvent()], 'no-stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('refuses an event type that is not in the catalogue', async () => {
    const validating = withValidation(store, assertValidEvents);
    const unknown = { ...anEvent(), type: 'uk.police.nom.cases.made-up.v1' };
    await expect(validating.append(`case-${randomUUID()}`, [unknown], 'any')).rejects.toBeInstanceOf(InvalidEventError);
  });

  it('refuses to update or delete a stored event', async () => {
    const id = `case-${randomUUID()}`;
    await store.append(id, [anEvent()], 'no-stream');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE ${store.schema}.events SET type = 'x'`)).rejects.toThrow(/immutable/);
      await expect(client.query(`DELETE FROM ${store.schema}.events`)).rejects.toThrow(/immutable/);
    } finally {
      await client.end();
    }
  });
});
