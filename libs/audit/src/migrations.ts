import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTableSql, targetSchema } from '#event-store';

/** Migrations of the seal tables, recorded in `<schema>.audit_migrations` beside the log they seal. */
export const AUDIT_MIGRATIONS_TABLE = 'audit_migrations';

/**
 * `log_seals`: the hash chain, one row per sealed event (its position, its event id, hash_n).
 * `log_checkpoints`: signed (position, hash) pairs, every N events and at the end of each sealing run.
 */
export class CreateLogSeals1764400000000 implements MigrationInterface {
  name = 'CreateLogSeals1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.log_seals (
        position  bigint PRIMARY KEY,
        event_id  uuid NOT NULL,
        hash      bytea NOT NULL CHECK (length(hash) = 32),
        sealed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.log_checkpoints (
        position  bigint PRIMARY KEY,
        hash      bytea NOT NULL CHECK (length(hash) = 32),
        signed_at timestamptz NOT NULL,
        signature bytea NOT NULL,
        key_id    text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.log_checkpoints, ${s}.log_seals`);
  }
}

/**
 * The seal tables become append-only like the logs they seal (issue 12): UPDATE, DELETE and TRUNCATE of
 * `log_seals` and `log_checkpoints` are refused. A table owner can still lift the triggers; the sealer's anchor
 * and the checkpoints kept outside the database (ADR 0023) are what show that it happened.
 */
export class AppendOnlySeals1765200000000 implements MigrationInterface {
  name = 'AppendOnlySeals1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    for (const table of SEAL_TABLES) for (const sql of appendOnlyTableSql(s, table)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    for (const table of SEAL_TABLES) {
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${s}.${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${s}.${table}`);
      await queryRunner.query(`DROP FUNCTION ${s}.${table}_append_only()`);
    }
  }
}

const SEAL_TABLES = ['log_seals', 'log_checkpoints'] as const;

export const AUDIT_MIGRATIONS = [CreateLogSeals1764400000000, AppendOnlySeals1765200000000];
