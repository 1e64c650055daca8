import type { MigrationInterface, QueryRunner } from 'typeorm';
import pg from 'pg';
import { PostgresAccessLog } from '#audit';
import { appendOnlyTableSql, assertIdentifier, migrateSchema, targetSchema, tolerateDisconnects } from '#event-store';

/** What a research export disclosed (Data Protection Act 2018 s62: disclosure is a logged operation). */
export interface DisclosureRecord {
  readonly studyId: string;
  readonly requester: string;
  readonly purpose: string;
  /** The export's query (window, forces, types, granularity, format), as in its manifest. */
  readonly query: object;
  readonly eventCount: number;
  /** SHA-256 of the manifest, which itself lists every output file's SHA-256. */
  readonly manifestSha256: string;
  readonly files: readonly { readonly name: string; readonly sha256: string }[];
  readonly positionRange: { readonly from: string; readonly to: string };
  readonly toolVersion: string;
}

export interface DisclosureLog {
  /** Logs the disclosure; `accessEntryId` names its entry in the sealed s62 access log. */
  record(disclosure: DisclosureRecord): Promise<{ readonly id: string; readonly loggedAt: string; readonly accessEntryId?: string }>;
}

export class CreateResearchDisclosures1764600000000 implements MigrationInterface {
  name = 'CreateResearchDisclosures1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.research_disclosures (
        id               bigserial PRIMARY KEY,
        logged_at        timestamptz NOT NULL DEFAULT now(),
        study_id         text NOT NULL,
        requester        text NOT NULL,
        purpose          text NOT NULL,
        query            jsonb NOT NULL,
        event_count      bigint NOT NULL,
        manifest_sha256  text NOT NULL,
        files            jsonb NOT NULL,
        position_from    bigint NOT NULL,
        position_to      bigint NOT NULL,
        tool_version     text NOT NULL,
        access_entry_id  uuid NOT NULL
      )`);
    // Append-only: a disclosure once logged can be neither changed nor removed.
    for (const sql of appendOnlyTableSql(s, 'research_disclosures')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.research_disclosures`);
    await queryRunner.query(`DROP FUNCTION ${s}.research_disclosures_append_only()`);
  }
}

/**
 * The disclosure log in PostgreSQL. Each export is first written to the Section 62 access log (action `disclose`,
 * purpose `research`, the requester as actor, the event count as records): that log is hash-chained and sealed with
 * signed checkpoints (ADR 0012), so a disclosure can be neither hidden nor altered. Its details (query, files,
 * checksums) then go to `<audit schema>.research_disclosures` (append-only by trigger), naming the access entry.
 * Should the second write fail, the sealed entry stays: a disclosure is over-logged, never unlogged.
 */
export class PostgresDisclosureLog implements DisclosureLog {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly accessLog: PostgresAccessLog,
    readonly schema: string,
  ) {}

  static async open(databaseUrl: string, schema = 'nom_audit'): Promise<PostgresDisclosureLog> {
    assertIdentifier(schema);
    await migrateSchema(databaseUrl, schema, [CreateResearchDisclosures1764600000000], 'research_disclosure_migrations');
    const accessLog = await PostgresAccessLog.open(databaseUrl, schema, 1);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    tolerateDisconnects(pool);
    return new PostgresDisclosureLog(pool, accessLog, schema);
  }

  async record(d: DisclosureRecord): Promise<{ id: string; loggedAt: string; accessEntryId: string }> {
    const entry = await this.accessLog.record({
      actor: { officerId: d.requester, force: 'national', roles: ['national-team'] },
      action: 'disclose',
      purpose: 'research',
      method: 'CLI',
      route: `nom research export --study ${d.studyId}`,
      scopeForce: null,
      // Pseudonymised per study: no subject is named in clear, so none is listed; the query says whose records.
      subjects: [],
      status: 200, // completed (the access log's status column: HTTP's vocabulary)
      recordCount: d.eventCount,
    });
    const { rows } = await this.pool.query<{ id: string; logged_at: Date }>(
      `INSERT INTO ${this.schema}.research_disclosures
         (study_id, requester, purpose, query, event_count, manifest_sha256, files, position_from, position_to, tool_version, access_entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id, logged_at`,
      [d.studyId, d.requester, d.purpose, JSON.stringify(d.query), d.eventCount, d.manifestSha256, JSON.stringify(d.files), d.positionRange.from, d.positionRange.to, d.toolVersion, entry.entryId],
    );
    return { id: rows[0]!.id, loggedAt: rows[0]!.logged_at.toISOString(), accessEntryId: entry.entryId };
  }

  async close(): Promise<void> {
    await this.accessLog.close();
    await this.pool.end();
  }
}
