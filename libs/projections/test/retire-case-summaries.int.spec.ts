import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateSchema } from '#event-store';
import { requiredEnv, uniqueName } from '#testing';
import {
  CreateForceReadModels1764300100000,
  FORCE_READ_MODELS,
  ForceProjector,
  VersionedReadModelBuilds1764400100000,
} from '../src/index.js';

const databaseUrl = requiredEnv('DATABASE_URL');

/**
 * The case summaries are retired (ADR 0027): a force schema made before, with their view, a build table per
 * version, their builds in the ledger and a dead letter of theirs, migrates cleanly when its projector next opens.
 */
describe('the migration retiring the case summaries', () => {
  const schema = uniqueName('p_retire');
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let projector: ForceProjector | undefined;

  afterAll(async () => {
    await projector?.close();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  it('drops their view, every build table and their ledger rows, resolves their dead letters and keeps the rest', async () => {
    // The schema as the earlier code left it: build 1 (migrated), a rebuild's build 2 live behind the view.
    await migrateSchema(databaseUrl, schema, [CreateForceReadModels1764300100000, VersionedReadModelBuilds1764400100000]);
    const caseId = randomUUID();
    await db.query(
      `INSERT INTO ${schema}.case_summaries_v1 (case_id, stream_id, status, last_revision, timeline) VALUES ($1, $2, 'recorded', 0, '[]')`,
      [caseId, `case-${caseId}`],
    );
    await db.query(`CREATE TABLE ${schema}.case_summaries_v2 (LIKE ${schema}.case_summaries_v1 INCLUDING ALL)`);
    await db.query(`INSERT INTO ${schema}.case_summaries_v2 SELECT * FROM ${schema}.case_summaries_v1`);
    await db.query(`CREATE OR REPLACE VIEW ${schema}.case_summaries AS SELECT * FROM ${schema}.case_summaries_v2`);
    await db.query(`UPDATE ${schema}.projection_builds SET status = 'retired' WHERE read_model = 'case_summaries'`);
    await db.query(
      `INSERT INTO ${schema}.projection_builds (read_model, version, code_version, status) VALUES ('case_summaries', 2, 1, 'live')`,
    );
    await db.query(`INSERT INTO ${schema}.processed_events (stream_id, revision, position) VALUES ($1, 0, 1)`, [`case-${caseId}`]);
    await db.query(
      `INSERT INTO ${schema}.dead_letters (reason, read_model, build_version, stream_id, revision, position) VALUES ('apply failed', 'case_summaries', 2, $1, 0, 1)`,
      [`case-${caseId}`],
    );
    await db.query(`INSERT INTO ${schema}.dead_letters (topic, partition, "offset", reason, headers) VALUES ('t', 0, 7, 'not JSON', '{}')`);

    projector = await ForceProjector.open({ databaseUrl, force: 'kent', schema, poolSize: 2 });

    const { rows: left } = await db.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname LIKE 'case_summaries%'`,
      [schema],
    );
    expect(left).toEqual([]);
    const builds = await projector.builds();
    expect(builds.filter((b) => b.readModel === 'case_summaries')).toEqual([]);
    // The force read models run instead, from the ledger the case summaries shared (nothing else was touched).
    expect(new Set(builds.map((b) => b.readModel))).toEqual(new Set(FORCE_READ_MODELS.map((m) => m.name)));
    expect(await projector.processedCount()).toBe(1);
    const { rows: letters } = await db.query<{ read_model: string | null; resolved: boolean }>(
      `SELECT read_model, resolved_at IS NOT NULL AS resolved FROM ${schema}.dead_letters ORDER BY id`,
    );
    expect(letters).toEqual([
      { read_model: 'case_summaries', resolved: true },
      { read_model: null, resolved: false },
    ]);
    expect((await projector.deadLetters()).map((d) => d.reason)).toEqual(['not JSON']);
    await projector.close();
    projector = undefined;

    // Opening again runs nothing twice.
    projector = await ForceProjector.open({ databaseUrl, force: 'kent', schema, poolSize: 2 });
    const { rows: applied } = await db.query<{ name: string }>(`SELECT name FROM ${schema}.migrations ORDER BY id`);
    expect(applied.map((m) => m.name)).toEqual([
      'CreateForceReadModels1764300100000',
      'VersionedReadModelBuilds1764400100000',
      'RetireCaseSummaries1765000100000',
      'BuildProgressByPartition1765100100000',
    ]);
  });

  it('runs on a new force schema too (the migrations in a row)', async () => {
    const fresh = uniqueName('p_retire_new');
    const created = await ForceProjector.open({ databaseUrl, force: 'essex', schema: fresh, poolSize: 2 });
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname LIKE 'case_summaries%'`,
        [fresh],
      );
      expect(rows[0]!.n).toBe(0);
      expect((await created.builds()).map((b) => b.readModel).sort()).toEqual(FORCE_READ_MODELS.map((m) => m.name).sort());
    } finally {
      await created.close();
      await db.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    }
  });
});
