import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlyTableSql, targetSchema, TRANSACTION_BASE_SQL, type AppendOnlyNames } from '#event-store';
import { canonicalJson } from './canonical.js';
import type { SealedLog } from './sealed-log.js';
import { ACCESS_LOG_CHECKPOINT } from './signing.js';

/**
 * The Section 62 access log (Data Protection Act 2018 s62, ADR 0012): one entry per request that could collect,
 * alter, consult, disclose, combine or erase personal data, written before any personal data leaves, append-only,
 * hash-chained and sealed like the event log.
 */
export const ACCESS_ACTIONS = ['collect', 'alter', 'consult', 'disclose', 'combine', 'erase'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** The purposes a caller may declare (`X-NOM-Purpose`); a route or the caller's role gives the default. */
export const ACCESS_PURPOSES = [
  'investigation',
  'victim-care',
  'supervision',
  'integration',
  'audit',
  'research',
  'data-protection',
  'administration',
  'workforce-development',
  'operating-model',
] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

export const SUBJECT_TYPES = ['case', 'suspect', 'victim', 'officer'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** A data subject (or the record about one) named by a request or its answer. */
export interface AccessSubject {
  /** The force holding the record (null on national routes). */
  readonly force: string | null;
  readonly type: SubjectType;
  readonly id: string;
}

export interface AccessActor {
  readonly officerId: string;
  readonly force: string;
  readonly roles: readonly string[];
}

/** What a request did, as the platform records it. */
export interface AccessRecord {
  /** Null for an unauthenticated attempt (401): there is no verified caller to name. */
  readonly actor: AccessActor | null;
  readonly action: AccessAction;
  /** Declared (X-NOM-Purpose), else the route's, else the caller's role's; null only for an unauthenticated attempt. */
  readonly purpose: AccessPurpose | null;
  readonly method: string;
  /** The route template, e.g. `/forces/:force/cases/:caseId`. */
  readonly route: string;
  /** Whose records: the route's force, else the caller's force, else null (national). */
  readonly scopeForce: string | null;
  readonly subjects: readonly AccessSubject[];
  /** The HTTP status answered. */
  readonly status: number;
  /** Records disclosed (items in a list, 1 for a single record, 0 for a refusal). */
  readonly recordCount: number;
  /**
   * The request's correlation id (X-Correlation-Id, returned to the caller and in every log line of the request), so that
   * an entry leads to the logs and the events of the same request. Absent from entries written before it was kept.
   */
  readonly correlationId?: string;
}

export interface AccessEntry extends AccessRecord {
  readonly entryId: string;
  /** Decimal string: positions are 64-bit. */
  readonly position: string;
  /** ISO-8601 UTC, milliseconds (the database clock). */
  readonly occurredAt: string;
}

export const ACCESS_LOG_MIGRATIONS_TABLE = 'access_log_migrations';

/** The access log's append-only names (the sealed-logs test lifts `access_log_immutable` as an attacker would). */
const ACCESS_LOG_APPEND_ONLY: AppendOnlyNames = {
  message: 'the access log is append-only',
  functionName: 'refuse_access_log_change',
  rowTrigger: 'access_log_immutable',
  truncateTrigger: 'access_log_no_truncate',
};

export class CreateAccessLog1764500000000 implements MigrationInterface {
  name = 'CreateAccessLog1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    // Positions as in the event log (ADR 0003): the transaction id in the high bits, an ordinal in the low 20.
    await queryRunner.query(`
      CREATE FUNCTION ${s}.next_access_position() RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE v_offset bigint := coalesce(nullif(current_setting('nom.access_position_offset', true), '')::bigint, 0);
      BEGIN
        IF v_offset >= 1048576 THEN
          RAISE EXCEPTION 'more than 1048576 access-log entries in one transaction' USING ERRCODE = 'program_limit_exceeded';
        END IF;
        PERFORM set_config('nom.access_position_offset', (v_offset + 1)::text, true);
        RETURN ${TRANSACTION_BASE_SQL} + v_offset;
      END $$`);
    await queryRunner.query(`
      CREATE TABLE ${s}.access_log (
        position         bigint PRIMARY KEY DEFAULT ${s}.next_access_position(),
        entry_id         uuid NOT NULL UNIQUE,
        occurred_at      timestamptz NOT NULL DEFAULT date_trunc('milliseconds', statement_timestamp()),
        actor_officer_id text,
        actor_force      text,
        actor_roles      text[],
        action           text NOT NULL CHECK (action IN (${ACCESS_ACTIONS.map((a) => `'${a}'`).join(', ')})),
        purpose          text,
        method           text NOT NULL,
        route            text NOT NULL,
        scope_force      text,
        subjects         jsonb NOT NULL,
        status           integer NOT NULL,
        record_count     integer NOT NULL,
        CHECK ((actor_officer_id IS NULL) = (actor_force IS NULL) AND (actor_force IS NULL) = (actor_roles IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX access_log_scope ON ${s}.access_log (scope_force, position)`);
    await queryRunner.query(`CREATE INDEX access_log_actor ON ${s}.access_log (actor_officer_id, position)`);
    await queryRunner.query(`CREATE INDEX access_log_subjects ON ${s}.access_log USING gin (subjects jsonb_path_ops)`);
    await queryRunner.query(`CREATE INDEX access_log_time ON ${s}.access_log (occurred_at)`);
    // Append-only: UPDATE, DELETE and TRUNCATE are refused (an owner can lift this: the seals then show it).
    for (const sql of appendOnlyTableSql(s, 'access_log', ACCESS_LOG_APPEND_ONLY)) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.access_log`);
    await queryRunner.query(`DROP FUNCTION ${s}.refuse_access_log_change, ${s}.next_access_position`);
  }
}

/**
 * The request's correlation id beside each entry (issue 15, item 3). Nullable, and sealed only when present
 * (canonicalAccessEntry), so that entries sealed before it keep their hashes.
 */
export class AccessLogCorrelationId1765000000000 implements MigrationInterface {
  name = 'AccessLogCorrelationId1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`ALTER TABLE ${s}.access_log ADD COLUMN correlation_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`ALTER TABLE ${s}.access_log DROP COLUMN correlation_id`);
  }
}

export const ACCESS_LOG_MIGRATIONS = [CreateAccessLog1764500000000, AccessLogCorrelationId1765000000000];

/** A row of `<schema>.access_log` as node-postgres returns it. */
export interface AccessLogRow {
  position: string;
  entry_id: string;
  occurred_at: Date;
  actor_officer_id: string | null;
  actor_force: string | null;
  actor_roles: string[] | null;
  action: AccessAction;
  purpose: AccessPurpose | null;
  method: string;
  route: string;
  scope_force: string | null;
  subjects: AccessSubject[];
  status: number;
  record_count: number;
  correlation_id: string | null;
}

export const ACCESS_LOG_COLUMNS =
  'position, entry_id, occurred_at, actor_officer_id, actor_force, actor_roles, action, purpose, method, route, scope_force, subjects, status, record_count, correlation_id';

/** The one mapping from a stored row to an entry: the API, the sealer and the verifier share it. */
export function accessEntryFromRow(row: AccessLogRow): AccessEntry {
  return {
    entryId: row.entry_id,
    position: row.position,
    occurredAt: row.occurred_at.toISOString(),
    actor:
      row.actor_officer_id === null
        ? null
        : { officerId: row.actor_officer_id, force: row.actor_force ?? '', roles: row.actor_roles ?? [] },
    action: row.action,
    purpose: row.purpose,
    method: row.method,
    route: row.route,
    scopeForce: row.scope_force,
    subjects: row.subjects,
    status: row.status,
    recordCount: row.record_count,
    ...(row.correlation_id !== null && row.correlation_id !== undefined ? { correlationId: row.correlation_id } : {}),
  };
}

/** The sealed view of an entry: every column, canonical JSON (keys sorted at every depth). */
export function canonicalAccessEntry(entry: AccessEntry): string {
  return canonicalJson({
    ...entry,
    actor: entry.actor === null ? null : { ...entry.actor, roles: [...entry.actor.roles] },
    subjects: entry.subjects.map((s) => ({ ...s })),
  });
}

/** The access log as the sealer and the verifier see it: every column is sealed. */
export const ACCESS_LOG: SealedLog<AccessLogRow> = {
  name: 'access-log',
  noun: 'entry',
  checkpointType: ACCESS_LOG_CHECKPOINT,
  table: 'access_log',
  idColumn: 'entry_id',
  columns: ACCESS_LOG_COLUMNS,
  recordedColumn: 'occurred_at',
  idOf: (row) => row.entry_id,
  canonicalOf: (row) => canonicalAccessEntry(accessEntryFromRow(row)),
  inconsistencyOf: () => undefined,
};

export interface AccessLogQuery {
  /** Only entries about this force's records (a force's auditor); undefined: every force (the national team). */
  readonly scopeForce?: string;
  /** Never return entries whose actor is this officer: nobody audits their own access. */
  readonly excludingActor: string;
  readonly actor?: string;
  readonly subjectId?: string;
  readonly subjectType?: SubjectType;
  /** ISO-8601 bounds on occurredAt: from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Keyset paging: entries after this position. */
  readonly after?: string;
  readonly limit: number;
}

export interface AccessLogPage {
  readonly entries: AccessEntry[];
  /** The `after` of the next page, when there may be one. */
  readonly next?: string;
}

/** Writes and reads the access log. */
export interface AccessLog {
  /** Appends one entry; resolves once it is committed (durable), rejects otherwise. */
  record(record: AccessRecord): Promise<AccessEntry>;
  query(query: AccessLogQuery): Promise<AccessLogPage>;
  close(): Promise<void>;
}
