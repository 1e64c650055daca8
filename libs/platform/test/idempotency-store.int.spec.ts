import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { PostgresIdempotencyStore, type Clock } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * The idempotency store (issue 12, item 8): a kept response is personal data (a suspect's name in a view), so it
 * is held sealed under a key derived from the Idempotency-Key the client holds, never in clear, and it expires.
 */
describe(PostgresIdempotencyStore.name, () => {
  const schema = uniqueName('idem');
  let now = new Date('2026-11-02T09:00:00.000Z');
  const clock: Clock = { now: () => new Date(now) };
  let store: PostgresIdempotencyStore;
  let client: pg.Client;

  beforeAll(async () => {
    store = await PostgresIdempotencyStore.open(databaseUrl, schema, { clock, ttlHours: 24 });
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await store?.close();
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  const rowsText = async (): Promise<string> => {
    const { rows } = await client.query<{ row: string }>(`SELECT row_to_json(k)::text AS row FROM ${schema}.idempotency_keys k`);
    return rows.map((r) => r.row).join('\n');
  };

  it('keeps no personal field and no key in clear, and gives the response back to the same key', async () => {
    const suspectId = randomUUID();
    const key = 'retry-key-0001';
    const body = { suspectId, name: 'Daniel Marsh', dateOfBirth: '1988-04-17' };
    await store.save('avon-somerset', key, {
      requestHash: 'h1',
      status: 201,
      body,
      headers: { location: `/forces/avon-somerset/suspects/${suspectId}` },
    });
    const text = await rowsText();
    expect(text).not.toMatch(/Daniel|Marsh|1988-04-17/);
    expect(text).not.toContain(key);
    expect(await store.find('avon-somerset', key)).toEqual({
      requestHash: 'h1',
      status: 201,
      body,
      headers: { location: `/forces/avon-somerset/suspects/${suspectId}` },
    });
    expect(await store.find('wiltshire', key)).toBeUndefined();
    // Erasure still finds the responses naming the subject.
    expect(await store.forgetResponsesNaming('avon-somerset', [suspectId])).toBe(1);
    expect(await store.find('avon-somerset', key)).toBeUndefined();
    // An officer's id, in an id field, is found too; a name never is.
    await store.save('avon-somerset', 'retry-key-0004', {
      requestHash: 'h4',
      status: 200,
      body: { officerId: 'AS-0042', name: 'Daniel Marsh' },
      headers: {},
    });
    expect(await store.forgetResponsesNaming('avon-somerset', ['Daniel'])).toBe(0);
    expect(await store.forgetResponsesNaming('avon-somerset', ['AS-0042'])).toBe(1);
  });

  it('forgets a response once its time to live (by the injected clock) has passed', async () => {
    await store.save('durham', 'retry-key-0002', { requestHash: 'h2', status: 200, body: { ok: true }, headers: {} });
    now = new Date(now.getTime() + 23 * 3_600_000);
    expect(await store.find('durham', 'retry-key-0002')).toMatchObject({ status: 200 });
    now = new Date(now.getTime() + 3_600_000);
    expect(await store.find('durham', 'retry-key-0002')).toBeUndefined();
    // Expired records are deleted, not only hidden.
    await store.save('durham', 'retry-key-0003', { requestHash: 'h3', status: 200, body: null, headers: {} });
    const { rows } = await client.query(`SELECT 1 FROM ${schema}.idempotency_keys WHERE force = 'durham'`);
    expect(rows).toHaveLength(1);
  });
});
