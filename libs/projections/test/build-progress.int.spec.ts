import pg from 'pg';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#contracts';
import { migrateSchema } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import { FORCE_READ_MODEL_MIGRATIONS, loadBuilds, recordBuildProgress } from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/** What `recordBuildProgress` reads of an event. */
const at = (position: number, recordedAt: string): RecordedEvent => ({ position: BigInt(position), recordedAt }) as RecordedEvent;

/** A transaction on a connection of its own, as the live path's transactions of different partitions are. */
async function transaction(): Promise<{ em: EntityManager; commit: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  // Blocked on another transaction's row: an error after a second, rather than a wait for ever.
  await client.query(`SET LOCAL lock_timeout = '1s'`);
  const em = {
    query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as unknown,
  } as unknown as EntityManager;
  return {
    em,
    commit: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/**
 * Issue 14: the live path's transactions of different Kafka partitions each move their own progress row, so that
 * they neither queue on the build's one row nor lose the server's group commit to that queue; a build's progress is
 * its row's and its partitions' together.
 */
describe("a build's progress, by partition", () => {
  const schema = uniqueName('p_progress');
  const db = new pg.Client({ connectionString: databaseUrl });
  const view = {
    query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as unknown,
  } as unknown as EntityManager;
  const build = [{ readModel: 'investigations', version: 1 }];

  beforeAll(async () => {
    await migrateSchema(databaseUrl, schema, FORCE_READ_MODEL_MIGRATIONS);
    await db.connect();
    await db.query(
      `INSERT INTO ${schema}.projection_builds (read_model, version, code_version, status) VALUES ('investigations', 1, 1, 'live')`,
    );
  });

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  it('lets two partitions record progress at once, and adds them up with the build row', async () => {
    const first = await transaction();
    const second = await transaction();
    await recordBuildProgress(first.em, schema, build, [at(10, '2026-11-03T10:00:00.000Z'), at(12, '2026-11-03T10:00:02.000Z')], 0n, 0);
    // Not blocked by the first, still open: another partition's row.
    await recordBuildProgress(second.em, schema, build, [at(11, '2026-11-03T10:00:01.000Z')], 0n, 1);
    await second.commit();
    await first.commit();
    // A rebuild's or the hand-over's progress stays on the build's row, and counts too.
    await recordBuildProgress(view, schema, build, [at(5, '2026-11-03T09:00:00.000Z')]);
    const [live] = await loadBuilds(view, schema, `status = 'live'`);
    expect(live).toMatchObject({
      readModel: 'investigations',
      version: 1,
      appliedEvents: 4,
      appliedPosition: 12n,
      appliedEventAt: '2026-11-03T10:00:02.000Z',
    });
  });

  it('keeps one partition on one row, its counts adding up', async () => {
    await recordBuildProgress(view, schema, build, [at(20, '2026-11-03T11:00:00.000Z')], 0n, 0);
    const { rows } = await db.query<{ kafka_partition: number; applied_events: string }>(
      `SELECT kafka_partition, applied_events FROM ${schema}.projection_build_progress ORDER BY kafka_partition`,
    );
    expect(rows.map((r) => [r.kafka_partition, Number(r.applied_events)])).toEqual([
      [0, 3],
      [1, 1],
    ]);
    const [live] = await loadBuilds(view, schema, `read_model = $1`, ['investigations']);
    expect(live).toMatchObject({ appliedEvents: 5, appliedPosition: 20n });
  });
});
