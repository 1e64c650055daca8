import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PrivacyEventTypes } from '#contracts';
import { targetSchema } from './schema-migrations.js';
import { indexOrderFunctionSettings, READ_HORIZON_SQL, TRANSACTION_BASE_SQL } from './positions.js';
import { refuseChangeFunctionSql, refuseRowChangeTriggerSql, refuseTruncateTriggerSql, type AppendOnlyNames } from './append-only.js';

/** The event log's append-only names and refusal, as first shipped. */
export const EVENT_LOG_APPEND_ONLY: AppendOnlyNames = {
  message: 'stored events are immutable',
  functionName: 'refuse_event_change',
  rowTrigger: 'events_immutable',
  truncateTrigger: 'events_no_truncate',
};

/**
 * The event log. Global position = (transaction id << 20) + ordinal within the transaction.
 * Readers only read positions below the oldest transaction still running (pg_snapshot_xmin), so an event
 * that commits late can never appear behind a position a reader has already passed: every transaction that
 * could still commit has a larger transaction id, hence a larger position. (The same idea as emmett's
 * PostgreSQL store; see docs/adr/0003-global-position.md.)
 */
export class CreateEventLog1764300000000 implements MigrationInterface {
  name = 'CreateEventLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.streams (
        stream_id   text PRIMARY KEY,
        force       text NOT NULL,
        revision    bigint NOT NULL DEFAULT -1,
        metadata    jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.events (
        position    bigint PRIMARY KEY,
        event_id    uuid NOT NULL,
        stream_id   text NOT NULL,
        revision    bigint NOT NULL,
        type        text NOT NULL,
        force       text NOT NULL,
        data        jsonb NOT NULL,
        metadata    jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.checkpoints (
        name       text PRIMARY KEY,
        position   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Stored events are never edited (DESIGN.md section 3): refuse UPDATE and DELETE outright.
    // (Shipped: the helpers give this migration's SQL to the letter; a unit test holds them to it.)
    await queryRunner.query(refuseChangeFunctionSql(s, 'events', EVENT_LOG_APPEND_ONLY));
    await queryRunner.query(refuseRowChangeTriggerSql(s, 'events', EVENT_LOG_APPEND_ONLY));
    await queryRunner.query(`
      CREATE FUNCTION ${s}.append_to_stream(
        p_stream_id text, p_force text, p_expected_kind text, p_expected bigint,
        p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[])
      RETURNS TABLE (outcome text, stream_revision bigint, last_position bigint, committed_at timestamptz)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_count   int := cardinality(p_ids);
        v_current bigint;
        v_force   text;
        v_found   int;
        v_same    int;
        v_base    bigint;
        v_offset  bigint;
      BEGIN
        -- Fast paths, two statements each: a new stream (no-stream), or the expected revision (exact) as
        -- the stream stands. An event id stored elsewhere then fails on the unique index (id conflict);
        -- a retry of an append that already succeeded no longer matches and takes the checked path below.
        IF p_expected_kind = 'no-stream' THEN
          INSERT INTO ${s}.streams (stream_id, force, revision) VALUES (p_stream_id, p_force, v_count - 1)
            ON CONFLICT (stream_id) DO NOTHING;
          IF FOUND THEN
            v_current := -1;
          END IF;
        ELSIF p_expected_kind = 'exact' THEN
          UPDATE ${s}.streams SET revision = p_expected + v_count, updated_at = now()
            WHERE stream_id = p_stream_id AND revision = p_expected AND force = p_force;
          IF FOUND THEN
            v_current := p_expected;
          END IF;
        END IF;

        IF v_current IS NULL THEN
          INSERT INTO ${s}.streams AS st (stream_id, force) VALUES (p_stream_id, p_force)
            ON CONFLICT (stream_id) DO NOTHING;
          -- The stream row lock serialises appends to one stream; other streams proceed in parallel.
          SELECT st.revision, st.force INTO v_current, v_force FROM ${s}.streams st
            WHERE st.stream_id = p_stream_id FOR UPDATE;
          IF v_force <> p_force THEN
            RETURN QUERY SELECT 'force-mismatch'::text, v_current, NULL::bigint, NULL::timestamptz;
            RETURN;
          END IF;
          SELECT count(*), count(*) FILTER (WHERE e.stream_id = p_stream_id)
            INTO v_found, v_same FROM ${s}.events e WHERE e.event_id = ANY (p_ids);
          IF v_found > 0 THEN
            IF v_found = v_count AND v_same = v_count THEN
              RETURN QUERY SELECT 'idempotent'::text, v_current, max(e.position), max(e.recorded_at)
                FROM ${s}.events e WHERE e.event_id = ANY (p_ids);
            ELSE
              RETURN QUERY SELECT 'id-conflict'::text, v_current, NULL::bigint, NULL::timestamptz;
            END IF;
            RETURN;
          END IF;
          IF (p_expected_kind = 'no-stream' AND v_current <> -1)
             OR (p_expected_kind = 'stream-exists' AND v_current = -1)
             OR (p_expected_kind = 'exact' AND v_current IS DISTINCT FROM p_expected) THEN
            RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint, NULL::timestamptz;
            RETURN;
          END IF;
          UPDATE ${s}.streams SET revision = v_current + v_count, updated_at = now() WHERE stream_id = p_stream_id;
        END IF;

        -- Position: transaction id in the high bits, the events of this transaction counted in the low 20
        -- (kept in a transaction-local setting, so several appends in one transaction never collide).
        v_base := ${TRANSACTION_BASE_SQL};
        v_offset := coalesce(nullif(current_setting('nom.position_offset', true), '')::bigint, 0);
        IF v_offset + v_count > 1048576 THEN
          RAISE EXCEPTION 'more than 1048576 events in one transaction' USING ERRCODE = 'program_limit_exceeded';
        END IF;
        PERFORM set_config('nom.position_offset', (v_offset + v_count)::text, true);
        INSERT INTO ${s}.events (position, event_id, stream_id, revision, type, force, data, metadata)
          SELECT v_base + v_offset + i - 1, p_ids[i], p_stream_id, v_current + i, p_types[i], p_force, p_data[i], p_metadata[i]
          FROM generate_subscripts(p_ids, 1) AS i;
        RETURN QUERY SELECT 'ok'::text, v_current + v_count, v_base + v_offset + v_count - 1, now();
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP FUNCTION ${s}.append_to_stream`);
    await queryRunner.query(`DROP TABLE ${s}.checkpoints, ${s}.events, ${s}.streams`);
    await queryRunner.query(`DROP FUNCTION ${s}.refuse_event_change`);
  }
}

/** TRUNCATE bypasses row triggers: refuse it too, as the access log does (ADR 0012). */
export class RefuseEventLogTruncate1764500100000 implements MigrationInterface {
  name = 'RefuseEventLogTruncate1764500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(refuseTruncateTriggerSql(s, 'events', EVENT_LOG_APPEND_ONLY));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TRIGGER events_no_truncate ON ${s}.events`);
  }
}

/**
 * One force's history in position order (projection rebuilds, projection lag): an index on (force, position), so
 * that reading or counting one force's events never scans the other 42 forces'. Built without blocking appends.
 */
export class IndexEventsByForce1764400000000 implements MigrationInterface {
  name = 'IndexEventsByForce1764400000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS events_force_position_idx ON ${s}.events (force, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${s}.events_force_position_idx`);
  }
}

/**
 * The erasures (`privacy.subject-erased`), found without scanning the log: every research export reads them all
 * before it starts. A partial index: only erasure events are in it, so appends of every other
 * type never touch it. Built without blocking appends.
 */
export class IndexErasures1764700000000 implements MigrationInterface {
  name = 'IndexErasures1764700000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS events_erasures_idx ON ${s}.events (position) WHERE type = '${PrivacyEventTypes.SubjectErased}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${s}.events_erasures_idx`);
  }
}

/**
 * Dead letters of the log's readers (relay, national projector, process managers, national views, sealer,
 * research export): an event a reader could not decode, decrypt, upcast, apply or publish, keyed by reader and
 * position, so that a replayed batch records it once (docs/security.md, "Poison input").
 */
export class CreateReaderDeadLetters1764800000000 implements MigrationInterface {
  name = 'CreateReaderDeadLetters1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.reader_dead_letters (
        reader     text NOT NULL,
        position   bigint NOT NULL,
        stream_id  text NOT NULL,
        revision   bigint NOT NULL,
        event_id   text NOT NULL,
        type       text NOT NULL,
        stage      text NOT NULL,
        reason     text NOT NULL,
        failed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (reader, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.reader_dead_letters`);
  }
}

/**
 * The global and per-force reads of the log in position order, as functions whose SET clauses keep the
 * index-ordered plan whatever the statistics say (INDEX_ORDER_SETTINGS; issue 14). Each batch then costs the
 * same however much of the log is left to read, on a table that was never analysed too. The horizon is the
 * one readAll always used (ADR 0003). A function with SET clauses is never inlined: its query is planned
 * under those settings at each call (a fraction of a millisecond per batch).
 * No longer called (ADR 0019, amendment): the reads send SET LOCAL and the SELECT as one query (`readLogSql`),
 * because PostgreSQL collected each batch of these functions in a tuplestore. Kept: migrations are history.
 */
export class ReadLogInIndexOrder1764900000000 implements MigrationInterface {
  name = 'ReadLogInIndexOrder1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE FUNCTION ${s}.read_log(after bigint, take integer) RETURNS SETOF ${s}.events
      LANGUAGE sql STABLE ${indexOrderFunctionSettings()}
      AS $$
        SELECT * FROM ${s}.events
         WHERE position > after AND position < ${READ_HORIZON_SQL}
         ORDER BY position LIMIT take
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ${s}.read_force_log(only_force text, after bigint, take integer) RETURNS SETOF ${s}.events
      LANGUAGE sql STABLE ${indexOrderFunctionSettings()}
      AS $$
        SELECT * FROM ${s}.events
         WHERE force = only_force AND position > after AND position < ${READ_HORIZON_SQL}
         ORDER BY force, position LIMIT take
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP FUNCTION ${s}.read_force_log(text, bigint, integer)`);
    await queryRunner.query(`DROP FUNCTION ${s}.read_log(bigint, integer)`);
  }
}

/**
 * Wake-up for the log's readers (issue 14, ADR 0028): one NOTIFY per appending statement on the channel
 * `appendChannel(schema)`, delivered by PostgreSQL at commit (never for a rolled-back append) and folded into one
 * per transaction. A statement-level trigger, so a batch of events costs one notification. The payload is empty:
 * a listener reads from its own position whatever the notification says, so a lost one costs only the poll.
 */
export class NotifyOnAppend1765000000000 implements MigrationInterface {
  name = 'NotifyOnAppend1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE FUNCTION ${s}.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(${quoteLiteral(appendChannel(s))}, '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_notify_appended AFTER INSERT ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.notify_appended()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TRIGGER events_notify_appended ON ${s}.events`);
    await queryRunner.query(`DROP FUNCTION ${s}.notify_appended()`);
  }
}

/** The NOTIFY channel of a log's appends (at most 63 bytes, as PostgreSQL requires of a channel name). */
export function appendChannel(schema: string): string {
  return `${schema}_appended`.slice(0, 63);
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The append notification leaves the append's transaction (ADR 0028, amended): a NOTIFY inside a transaction holds
 * PostgreSQL's one notification-queue lock from its pre-commit until its commit has been flushed, so every
 * appending transaction committed one at a time and 16 concurrent writers fell from 0.66 to 0.33 of raw INSERT
 * (bench append-16). The store now sends the notification itself after an append commits, coalesced (see
 * PostgresEventStore), in a statement of its own that writes no WAL and waits for no flush.
 */
export class NotifyAfterCommit1765500000000 implements MigrationInterface {
  name = 'NotifyAfterCommit1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TRIGGER IF EXISTS events_notify_appended ON ${s}.events`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${s}.notify_appended()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await new NotifyOnAppend1765000000000().up(queryRunner);
  }
}

/**
 * The event log is written only through `append_to_stream`, run with its owner's rights (SECURITY DEFINER, ADR
 * 0035): a service role holds SELECT on `events` and EXECUTE on the function, never INSERT, so every event goes
 * through its checks. The search path is fixed (every name in it is schema-qualified; built-ins from pg_catalog),
 * and no one but its owner may call it unless granted. (A later `CREATE OR REPLACE` of the function must keep both.)
 */
export class AppendThroughDefiner1765400000000 implements MigrationInterface {
  name = 'AppendThroughDefiner1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    const fn = `${s}.append_to_stream(text, text, text, bigint, uuid[], text[], jsonb[], jsonb[])`;
    await queryRunner.query(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path = pg_catalog, pg_temp`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    const fn = `${s}.append_to_stream(text, text, text, bigint, uuid[], text[], jsonb[], jsonb[])`;
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO PUBLIC`);
    await queryRunner.query(`ALTER FUNCTION ${fn} SECURITY INVOKER RESET search_path`);
  }
}

export const EVENT_STORE_MIGRATIONS = [
  CreateEventLog1764300000000,
  RefuseEventLogTruncate1764500100000,
  IndexEventsByForce1764400000000,
  IndexErasures1764700000000,
  CreateReaderDeadLetters1764800000000,
  ReadLogInIndexOrder1764900000000,
  NotifyOnAppend1765000000000,
  AppendThroughDefiner1765400000000,
  NotifyAfterCommit1765500000000,
];
