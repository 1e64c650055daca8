import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertIdentifier, GroupCommit, migrateSchema, prepared, tolerateDisconnects } from '#event-store';
import {
  ACCESS_LOG_COLUMNS,
  ACCESS_LOG_MIGRATIONS,
  ACCESS_LOG_MIGRATIONS_TABLE,
  accessEntryFromRow,
  type AccessEntry,
  type AccessLog,
  type AccessLogPage,
  type AccessLogQuery,
  type AccessLogRow,
  type AccessRecord,
} from './access-log.js';

const COLUMNS = ACCESS_LOG_COLUMNS;

/** An entry to insert: its id (given here, so that the insert's rows are matched to their callers) and record. */
interface Pending {
  readonly entryId: string;
  readonly record: AccessRecord;
}

/** Inserts in flight at once, and entries in one insert at most. */
const CONCURRENT_INSERTS = 2;
const ENTRIES_PER_INSERT = 500;

/**
 * The access log in PostgreSQL. Entries are written by **group commit** (`GroupCommit`, ADR 0046): an entry goes to
 * the database at once when fewer than CONCURRENT_INSERTS inserts are in flight, and otherwise waits for one to end
 * and goes with every entry that waited with it, in one INSERT and one transaction. Each caller's promise still
 * resolves only once its own entry is committed (durable before the response, as before). Under light load nothing
 * waits; under load the statements and commits per request fall (issue 14: one insert and one commit per request was
 * a tenth of the database's CPU per command). Should an insert of several fail, each of its entries is tried alone,
 * so a bad entry fails only its own request.
 */
export class PostgresAccessLog implements AccessLog {
  private readonly writer = new GroupCommit<Pending, AccessEntry>((group) => this.insert(group), {
    concurrency: CONCURRENT_INSERTS,
    maxGroup: ENTRIES_PER_INSERT,
  });

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  /** Runs the access-log migrations into `schema` (default `nom_audit`), then opens a pool. */
  static async open(connectionString: string, schema = 'nom_audit', poolSize = 8): Promise<PostgresAccessLog> {
    assertIdentifier(schema);
    await migrateSchema(connectionString, schema, ACCESS_LOG_MIGRATIONS, ACCESS_LOG_MIGRATIONS_TABLE);
    const pool = new pg.Pool({ connectionString, max: poolSize });
    tolerateDisconnects(pool); // idle connections ended by the server; the next query reconnects
    return new PostgresAccessLog(pool, schema);
  }

  /** INSERT statements that committed and the entries they held (a test's view of the grouping). */
  stats(): { readonly inserts: number; readonly entries: number } {
    const { writes, items } = this.writer.stats();
    return { inserts: writes, entries: items };
  }

  record(record: AccessRecord): Promise<AccessEntry> {
    return this.writer.submit({ entryId: randomUUID(), record });
  }

  /** One INSERT of the group's entries, in their order (so their positions follow it), in one transaction. */
  private async insert(group: readonly Pending[]): Promise<AccessEntry[]> {
    const rows = group.map(({ entryId, record }) => ({
      entry_id: entryId,
      actor_officer_id: record.actor?.officerId ?? null,
      actor_force: record.actor?.force ?? null,
      actor_roles: record.actor ? [...record.actor.roles] : null,
      action: record.action,
      purpose: record.purpose,
      method: record.method,
      route: record.route,
      scope_force: record.scopeForce,
      subjects: record.subjects,
      status: record.status,
      record_count: record.recordCount,
      correlation_id: record.correlationId ?? null,
    }));
    // One text whatever the number of entries (they travel as one JSON array): a prepared statement (ADR 0047).
    const { rows: inserted } = await this.pool.query<AccessLogRow>(
      prepared(
        `INSERT INTO ${this.schema}.access_log
         (entry_id, actor_officer_id, actor_force, actor_roles, action, purpose, method, route, scope_force, subjects, status, record_count,
          correlation_id)
       SELECT r.entry_id, r.actor_officer_id, r.actor_force, r.actor_roles, r.action, r.purpose, r.method, r.route, r.scope_force,
              r.subjects, r.status, r.record_count, r.correlation_id
         FROM jsonb_to_recordset($1::jsonb) AS r(entry_id uuid, actor_officer_id text, actor_force text, actor_roles text[], action text,
              purpose text, method text, route text, scope_force text, subjects jsonb, status integer, record_count integer, correlation_id uuid)
       RETURNING ${COLUMNS}`,
        [JSON.stringify(rows)],
      ),
    );
    const entries = new Map(inserted.map((row) => [row.entry_id, accessEntryFromRow(row)]));
    return group.map(({ entryId }) => entries.get(entryId)!);
  }

  async query(query: AccessLogQuery): Promise<AccessLogPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    where.push(`actor_officer_id IS DISTINCT FROM ${param(query.excludingActor)}`);
    if (query.scopeForce !== undefined) where.push(`scope_force = ${param(query.scopeForce)}`);
    if (query.actor !== undefined) where.push(`actor_officer_id = ${param(query.actor)}`);
    if (query.subjectId !== undefined) {
      where.push(
        `subjects @> ${param(JSON.stringify([{ id: query.subjectId, ...(query.subjectType ? { type: query.subjectType } : {}) }]))}::jsonb`,
      );
    } else if (query.subjectType !== undefined) {
      where.push(`subjects @> ${param(JSON.stringify([{ type: query.subjectType }]))}::jsonb`);
    }
    if (query.from !== undefined) where.push(`occurred_at >= ${param(query.from)}`);
    if (query.to !== undefined) where.push(`occurred_at < ${param(query.to)}`);
    if (query.after !== undefined) where.push(`position > ${param(query.after)}`);
    const { rows } = await this.pool.query<AccessLogRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.access_log WHERE ${where.join(' AND ')} ORDER BY position LIMIT ${param(query.limit)}`,
      params,
    );
    const entries = rows.map(accessEntryFromRow);
    const last = entries[entries.length - 1];
    return { entries, ...(last && entries.length === query.limit ? { next: last.position } : {}) };
  }

  /** Waits for the entries already given to be written, then closes the pool. */
  async close(): Promise<void> {
    await this.writer.drained();
    await this.pool.end();
  }
}
