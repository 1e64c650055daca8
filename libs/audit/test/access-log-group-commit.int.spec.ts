import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { PostgresAccessLog, type AccessRecord } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/** A consultation of case `n` by a Durham officer, as the access-recording interceptor states one. */
const consult = (n: number): AccessRecord => ({
  actor: { officerId: `DU-${n}`, force: 'durham', roles: ['officer'] },
  action: 'consult',
  purpose: 'investigation',
  method: 'GET',
  route: '/forces/:force/investigations/:caseId',
  scopeForce: 'durham',
  subjects: [{ force: 'durham', type: 'case', id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }],
  status: 200,
  recordCount: 1,
});

describe('the access log written by group commit', () => {
  let log: PostgresAccessLog;
  let admin: pg.Client;

  beforeAll(async () => {
    log = await PostgresAccessLog.open(databaseUrl, uniqueName('audit'));
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await log?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${log.schema} CASCADE`);
    await admin?.end();
  });

  it('commits entries given at once in fewer inserts, each caller answered with its own committed entry', async () => {
    const before = log.stats();
    const records = Array.from({ length: 60 }, (_, i) => consult(i));
    const entries = await Promise.all(records.map((record) => log.record(record)));
    const after = log.stats();
    expect(after.entries - before.entries).toBe(60);
    expect(after.inserts - before.inserts).toBeLessThan(60);
    entries.forEach((entry, i) => {
      expect(entry).toMatchObject({ ...records[i], actor: { ...records[i]!.actor, roles: ['officer'] } });
      expect(entry.position).toMatch(/^\d+$/);
    });
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(60);
    // Committed when answered: another session reads every one of them.
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${log.schema}.access_log WHERE entry_id = ANY($1::uuid[])`,
      [entries.map((e) => e.entryId)],
    );
    expect(rows[0]!.n).toBe(60);
  });

  it('fails only the entry the database refuses, when it was grouped with others', async () => {
    const records = Array.from({ length: 12 }, (_, i) => consult(100 + i));
    const bad = { ...consult(999), action: 'peek' } as unknown as AccessRecord;
    const outcomes = await Promise.allSettled([...records.slice(0, 6), bad, ...records.slice(6)].map((record) => log.record(record)));
    expect(outcomes.map((o) => o.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected', ...Array(6).fill('fulfilled')]);
    expect(String((outcomes[6] as PromiseRejectedResult).reason)).toMatch(/check constraint/);
    const { rows } = await admin.query<{ route: string; n: number }>(
      `SELECT count(*)::int AS n FROM ${log.schema}.access_log WHERE actor_officer_id = ANY($1::text[])`,
      [[...records.map((r) => r.actor!.officerId), 'DU-999']],
    );
    expect(rows[0]!.n).toBe(12);
  });

  it('waits for entries already given before it closes', async () => {
    const other = await PostgresAccessLog.open(databaseUrl, log.schema);
    const pending = Array.from({ length: 20 }, (_, i) => other.record(consult(200 + i)));
    await other.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(20);
  });
});
