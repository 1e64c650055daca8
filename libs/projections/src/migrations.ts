import type { MigrationInterface, QueryRunner } from 'typeorm';
import { targetSchema } from '#event-store';

/** A force's own read models. Runs once per force schema (`force_<code>`). */
export class CreateForceReadModels1764300100000 implements MigrationInterface {
  name = 'CreateForceReadModels1764300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.case_summaries (
        case_id         uuid PRIMARY KEY,
        stream_id       text NOT NULL,
        crime_reference text,
        offence         text,
        status          text NOT NULL,
        investigator_id text,
        outcome_code    integer,
        reported_at     timestamptz,
        recorded_at     timestamptz,
        opened_at       timestamptz,
        closed_at       timestamptz,
        last_revision   bigint NOT NULL,
        timeline        jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX case_summaries_status_idx ON ${s}.case_summaries (status, recorded_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.processed_events (
        stream_id    text NOT NULL,
        revision     bigint NOT NULL,
        position     bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_id, revision)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.dead_letters (
        topic     text NOT NULL,
        partition integer NOT NULL,
        "offset"  bigint NOT NULL,
        event_id  text,
        reason    text NOT NULL,
        headers   jsonb NOT NULL,
        value     text,
        failed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.dead_letters, ${s}.processed_events, ${s}.case_summaries`);
  }
}

export const FORCE_READ_MODEL_MIGRATIONS = [CreateForceReadModels1764300100000];
