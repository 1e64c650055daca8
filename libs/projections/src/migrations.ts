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

/**
 * The build ledger of a schema's read models (ADR 0013): each read model's builds, at most one live and one
 * building, with how far each has applied the log. Shared by the force schemas and the national one.
 */
function projectionBuildsTableSql(s: string): string[] {
  return [
    `
      CREATE TABLE ${s}.projection_builds (
        read_model       text NOT NULL,
        version          integer NOT NULL,
        code_version     integer NOT NULL,
        status           text NOT NULL CHECK (status IN ('building', 'live', 'retired')),
        applied_position bigint NOT NULL DEFAULT 0,
        applied_event_at timestamptz,
        applied_events   bigint NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        switched_at      timestamptz,
        PRIMARY KEY (read_model, version)
      )`,
    `CREATE UNIQUE INDEX projection_builds_one_live ON ${s}.projection_builds (read_model) WHERE status = 'live'`,
    `CREATE UNIQUE INDEX projection_builds_one_building ON ${s}.projection_builds (read_model) WHERE status = 'building'`,
  ];
}

/**
 * The checkpointed projection runtime (ADR 0013): read models are versioned builds (`<base>_v<N>`) behind a view
 * `<base>` that points at the live build; `projection_builds` records each build's status and progress; dead
 * letters get an id (for retry), the read model whose apply failed, the event, and a resolution time.
 * An existing `case_summaries` table becomes build 1 of `case_summaries`, with its progress taken from the ledger.
 */
export class VersionedReadModelBuilds1764400100000 implements MigrationInterface {
  name = 'VersionedReadModelBuilds1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    for (const sql of projectionBuildsTableSql(s)) await queryRunner.query(sql);
    await queryRunner.query(`ALTER TABLE ${s}.case_summaries RENAME TO case_summaries_v1`);
    await queryRunner.query(`ALTER INDEX ${s}.case_summaries_status_idx RENAME TO case_summaries_v1_status_idx`);
    await queryRunner.query(`CREATE VIEW ${s}.case_summaries AS SELECT * FROM ${s}.case_summaries_v1`);
    await queryRunner.query(`
      INSERT INTO ${s}.projection_builds (read_model, version, code_version, status, applied_position, applied_events, switched_at)
      SELECT 'case_summaries', 1, 1, 'live', coalesce(max(position), 0), count(*), now() FROM ${s}.processed_events`);
    await queryRunner.query(`CREATE INDEX processed_events_position_idx ON ${s}.processed_events (position)`);
    await queryRunner.query(`ALTER TABLE ${s}.dead_letters DROP CONSTRAINT dead_letters_pkey`);
    await queryRunner.query(`
      ALTER TABLE ${s}.dead_letters
        ADD COLUMN id bigserial PRIMARY KEY,
        ALTER COLUMN topic DROP NOT NULL,
        ALTER COLUMN partition DROP NOT NULL,
        ALTER COLUMN "offset" DROP NOT NULL,
        ALTER COLUMN headers DROP NOT NULL,
        ADD COLUMN read_model text,
        ADD COLUMN build_version integer,
        ADD COLUMN stream_id text,
        ADD COLUMN revision bigint,
        ADD COLUMN position bigint,
        ADD COLUMN event jsonb,
        ADD COLUMN attempts integer NOT NULL DEFAULT 1,
        ADD COLUMN resolved_at timestamptz`);
    // A redelivered poison record, or an event a build already failed on, is recorded once.
    await queryRunner.query(
      `CREATE UNIQUE INDEX dead_letters_record_key ON ${s}.dead_letters (topic, partition, "offset") WHERE read_model IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX dead_letters_build_event_key ON ${s}.dead_letters (read_model, build_version, stream_id, revision) WHERE read_model IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(
      `DROP INDEX ${s}.dead_letters_build_event_key, ${s}.dead_letters_record_key, ${s}.processed_events_position_idx`,
    );
    await queryRunner.query(`DELETE FROM ${s}.dead_letters WHERE read_model IS NOT NULL OR topic IS NULL`);
    await queryRunner.query(`
      ALTER TABLE ${s}.dead_letters DROP COLUMN id, DROP COLUMN read_model, DROP COLUMN build_version, DROP COLUMN stream_id,
        DROP COLUMN revision, DROP COLUMN position, DROP COLUMN event, DROP COLUMN attempts, DROP COLUMN resolved_at,
        ALTER COLUMN headers SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE ${s}.dead_letters ADD PRIMARY KEY (topic, partition, "offset")`);
    await queryRunner.query(`DROP VIEW ${s}.case_summaries`);
    await queryRunner.query(`ALTER TABLE ${s}.case_summaries_v1 RENAME TO case_summaries`);
    await queryRunner.query(`ALTER INDEX ${s}.case_summaries_v1_status_idx RENAME TO case_summaries_status_idx`);
    await queryRunner.query(`DROP TABLE ${s}.projection_builds`);
  }
}

/**
 * The case summaries are retired for the investigations (ADR 0027): their view and every build's table go, and
 * so do their builds in the ledger (a build of a read model the projector no longer runs would be reported by
 * `lag()` for ever). Their dead letters are kept, resolved: the events are in the store and on the topics.
 * `down` leaves an empty `case_summaries_v1` behind the view (what the earlier `down`s expect); code that still
 * runs the case summaries finds no build of them and rebuilds them from the store.
 */
export class RetireCaseSummaries1765000100000 implements MigrationInterface {
  name = 'RetireCaseSummaries1765000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP VIEW IF EXISTS ${s}.case_summaries`);
    const builds = (await queryRunner.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename ~ '^case_summaries(_v[0-9]+)?$' ORDER BY tablename`,
      [s],
    )) as { tablename: string }[];
    for (const { tablename } of builds) await queryRunner.query(`DROP TABLE ${s}."${tablename}"`);
    await queryRunner.query(`DELETE FROM ${s}.projection_builds WHERE read_model = 'case_summaries'`);
    await queryRunner.query(`UPDATE ${s}.dead_letters SET resolved_at = now() WHERE read_model = 'case_summaries' AND resolved_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.case_summaries_v1 (
        case_id uuid PRIMARY KEY, stream_id text NOT NULL, crime_reference text, offence text, status text NOT NULL,
        investigator_id text, outcome_code integer, reported_at timestamptz, recorded_at timestamptz, opened_at timestamptz,
        closed_at timestamptz, last_revision bigint NOT NULL, timeline jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX case_summaries_v1_status_idx ON ${s}.case_summaries_v1 (status, recorded_at DESC)`);
    await queryRunner.query(`CREATE VIEW ${s}.case_summaries AS SELECT * FROM ${s}.case_summaries_v1`);
  }
}

/**
 * A build's progress by Kafka partition (issue 14): the live path's transactions of different partitions each move
 * their own row, so they no longer queue on the build's one row (nor lose PostgreSQL's group commit to that queue).
 * `projection_builds` keeps the progress written outside the live path (a rebuild, the hand-over, the national
 * projector); a build's progress is its row's and its partitions' together (`loadBuilds`).
 */
export class BuildProgressByPartition1765100100000 implements MigrationInterface {
  name = 'BuildProgressByPartition1765100100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.projection_build_progress (
        read_model       text NOT NULL,
        version          integer NOT NULL,
        kafka_partition  integer NOT NULL,
        applied_position bigint NOT NULL DEFAULT 0,
        applied_event_at timestamptz,
        applied_events   bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (read_model, version, kafka_partition),
        FOREIGN KEY (read_model, version) REFERENCES ${s}.projection_builds (read_model, version) ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.projection_build_progress`);
  }
}

export const FORCE_READ_MODEL_MIGRATIONS = [
  CreateForceReadModels1764300100000,
  VersionedReadModelBuilds1764400100000,
  RetireCaseSummaries1765000100000,
  BuildProgressByPartition1765100100000,
];

/**
 * The national read models' schema (ADR 0013, national projector): versioned builds behind views, as in a force
 * schema, with `projection_builds` as the checkpoint (a build's `applied_position` is the last global position it
 * took, committed with the rows). No ledger or dead letters: the national projector reads the global log in
 * position order, so a position is its exactly-once key.
 */
export class CreateNationalReadModels1764500100000 implements MigrationInterface {
  name = 'CreateNationalReadModels1764500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    for (const sql of projectionBuildsTableSql(s)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.projection_builds`);
  }
}

export const NATIONAL_READ_MODEL_MIGRATIONS = [CreateNationalReadModels1764500100000, BuildProgressByPartition1765100100000];
