import type { MigrationInterface, QueryRunner } from 'typeorm';
import { targetSchema } from '#event-store';

/**
 * The national schema (ADR 0015): the repeat-suspect index (keyed hashes only, with opaque ids) and the facts the
 * model-conformance view counts (ids, times and flags; no personal data), with the reader's own checkpoint,
 * written in the same transaction as the facts so that a replayed batch never counts twice.
 */
export class CreateNationalViews1764400000000 implements MigrationInterface {
  name = 'CreateNationalViews1764400000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`CREATE TABLE ${s}.national_checkpoint (name text PRIMARY KEY, position bigint NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.suspect_keys (
        kind       text  NOT NULL,
        key_hash   bytea NOT NULL,
        force      text  NOT NULL,
        suspect_id uuid  NOT NULL,
        case_id    uuid  NOT NULL,
        PRIMARY KEY (kind, key_hash, suspect_id)
      )`);
    await queryRunner.query(`CREATE INDEX suspect_keys_suspect_idx ON ${s}.suspect_keys (suspect_id)`);
    await queryRunner.query(
      `CREATE TABLE ${s}.model_adoptions (force text PRIMARY KEY, version text NOT NULL, adopted_at timestamptz NOT NULL)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${s}.model_stamps (
        force text NOT NULL, model_version text NOT NULL, events bigint NOT NULL,
        PRIMARY KEY (force, model_version)
      )`);
    // The KPI facts (#kpis: case, victim, update duty), folded by the same functions as the KPI read models.
    await queryRunner.query(`
      CREATE TABLE ${s}.kpi_facts (
        kind text NOT NULL CHECK (kind IN ('case', 'victim', 'duty')), key text NOT NULL, force text NOT NULL, facts jsonb NOT NULL,
        PRIMARY KEY (kind, key)
      )`);
    await queryRunner.query(
      `CREATE TABLE ${s}.case_charging (case_id uuid PRIMARY KEY, force text NOT NULL, first_decision_at timestamptz NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE ${s}.case_suspect_actions (case_id uuid PRIMARY KEY, force text NOT NULL, first_action_at timestamptz NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE ${s}.bail_decisions (event_id uuid PRIMARY KEY, force text NOT NULL, victim_views_sought boolean NOT NULL)`,
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(
      `DROP TABLE ${s}.bail_decisions, ${s}.case_suspect_actions, ${s}.case_charging, ${s}.kpi_facts, ${s}.model_stamps, ${s}.model_adoptions, ${s}.suspect_keys, ${s}.national_checkpoint`,
    );
  }
}

/**
 * Matches held until a lawful trigger (issue 12, item 5): every match the index finds, one row per force's copy,
 * disclosed or pending, and the suspects that reached a trigger (arrest, interview, charge) with the officer.
 */
export class CreateMatchDisclosures1764400000001 implements MigrationInterface {
  name = 'CreateMatchDisclosures1764400000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.suspect_matches (
        match_id           uuid   NOT NULL,
        force              text   NOT NULL,
        suspect_id         uuid   NOT NULL,
        case_id            uuid   NOT NULL,
        matched_force      text   NOT NULL,
        matched_suspect_id uuid   NOT NULL,
        matched_case_id    uuid   NOT NULL,
        matched_on         text[] NOT NULL,
        strength           text   NOT NULL,
        matched_at         text   NOT NULL,
        disclosed_at       timestamptz,
        disclosed_by       text,
        withheld           integer NOT NULL DEFAULT 0,
        PRIMARY KEY (match_id, force)
      )`);
    await queryRunner.query(`CREATE INDEX suspect_matches_suspect_idx ON ${s}.suspect_matches (suspect_id) WHERE disclosed_at IS NULL`);
    await queryRunner.query(`CREATE INDEX suspect_matches_matched_idx ON ${s}.suspect_matches (matched_suspect_id)`);
    await queryRunner.query(`CREATE INDEX suspect_matches_officer_idx ON ${s}.suspect_matches (disclosed_by, disclosed_at)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.suspect_triggers (
        suspect_id uuid PRIMARY KEY, force text NOT NULL, trigger text NOT NULL, officer text NOT NULL, triggered_at text NOT NULL
      )`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.suspect_triggers, ${s}.suspect_matches`);
  }
}

export const NATIONAL_MIGRATIONS = [CreateNationalViews1764400000000, CreateMatchDisclosures1764400000001];
