import pg from 'pg';
import { requiredEnv, uniqueName } from '#testing';
import { prepared, statementName } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * What ADR 0047 relies on when it prepares a statement for a connection's life: PostgreSQL parses it once, and a
 * table dropped and made again under the same name (a test's schema, a rebuilt read model) is resolved anew.
 */
describe('a prepared statement on a real PostgreSQL', () => {
  let client: pg.Client;
  const schema = uniqueName('prepared');

  beforeAll(async () => {
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.rows (id int PRIMARY KEY, note text)`);
  });

  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  const insert = (): string => `INSERT INTO ${schema}.rows (id, note) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`;

  it('is parsed once for the connection and executed as often as it is asked', async () => {
    for (let id = 1; id <= 8; id++) expect((await client.query(prepared(insert(), [id, `row ${id}`]))).rows).toEqual([{ id }]);
    const { rows } = await client.query<{ name: string; statement: string }>(
      'SELECT name, statement FROM pg_prepared_statements WHERE name = $1',
      [statementName(insert())],
    );
    expect(rows).toEqual([{ name: statementName(insert()), statement: insert() }]);
    expect((await client.query(`SELECT count(*)::int AS n FROM ${schema}.rows`)).rows[0]).toEqual({ n: 8 });
  });

  it('finds a table made again under the same name, not the dropped one', async () => {
    await client.query(prepared(insert(), [100, 'before']));
    await client.query(`DROP TABLE ${schema}.rows`);
    await client.query(`CREATE TABLE ${schema}.rows (id int PRIMARY KEY, note text, extra text)`);
    expect((await client.query(prepared(insert(), [101, 'after']))).rows).toEqual([{ id: 101 }]);
    expect((await client.query(`SELECT id, note FROM ${schema}.rows`)).rows).toEqual([{ id: 101, note: 'after' }]);
  });
});
