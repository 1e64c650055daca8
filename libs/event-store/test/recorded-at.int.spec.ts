import pg from 'pg';
import { requiredEnv } from '#testing';
import { RECORDED_AT_ISO_SQL } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * The log's readers take the recorded time as the server writes it (RECORDED_AT_ISO_SQL), no longer as a Date made by
 * node-postgres and written out with toISOString: the two must agree to the character, whatever the session's time
 * zone, at the edges of a millisecond and of a day, in summer time and out of it.
 */
describe('the recorded time written by the server', () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  const instants = [
    '2026-12-06 06:42:34.123456+00',
    '2026-12-06 06:42:34.999999+00',
    '2026-12-06 23:59:59.999999+00',
    '2026-12-31 23:59:59.000999+00',
    '2026-06-21 12:00:00.001+01',
    '2026-03-29 00:59:59.9995+00',
    '2026-10-25 01:30:00+01',
    '2027-01-01 00:00:00+00',
    '1999-12-31 23:59:59.0005-05',
  ];

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it.each(['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata'])(
    'is what toISOString writes of the Date node-postgres makes, in %s',
    async (zone) => {
      await client.query(`SET TIME ZONE '${zone}'`);
      const { rows } = await client.query<{ at: Date; iso: string }>(
        `SELECT recorded_at AS at, ${RECORDED_AT_ISO_SQL} AS iso FROM unnest($1::timestamptz[]) AS t(recorded_at)`,
        [instants],
      );
      expect(rows).toHaveLength(instants.length);
      for (const { at, iso } of rows) expect(iso).toBe(at.toISOString());
    },
  );
});
