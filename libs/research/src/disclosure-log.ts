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
  /** The run that completed it (its intent and parts are logged under this id). */
  readonly exportId?: string;
}

/** What an export is about to disclose, logged before its first byte is written (issue 12). */
export interface DisclosureIntent {
  /** This run of the export (a resume is a run of its own). */
  readonly exportId: string;
  /** The first run's export id, when this run resumes an interrupted export. */
  readonly resumeOf?: string;
  readonly studyId: string;
  readonly requester: string;
  readonly purpose: string;
  /** The selection: window, forces, types, granularity, format. */
  readonly query: object;
  /** Where the files go. */
  readonly outDir: string;
  /** The log position the export reads up to. */
  readonly upTo: string;
  readonly toolVersion: string;
}

/** One finished output file, logged before it takes its final name. */
export interface DisclosedPart {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** An export that stopped before completing: what stays on disk (its finished parts) and what was removed. */
export interface DisclosureInterruption {
  /** Rows written so far, all runs included (the removed partial part's too): what `--resume` continues from. */
  readonly exported: number;
  /** Rows in the finished parts kept on disk, all runs included. */
  readonly kept: number;
  readonly parts: readonly DisclosedPart[];
  /** The part being written when it stopped: deleted, never disclosed. */
  readonly partialRemoved?: { readonly name: string; readonly rows: number };
  /** `max-events`, `aborted`, or `failed: <message>`. */
  readonly reason: string;
}

/**
 * The research disclosure log (ADR 0016, issue 12): the intent before the first byte, each finished file, then the
 * completion (`record`) or the interruption. Every step of one run carries its export id.
 */
export interface DisclosureLog {
  intent(intent: DisclosureIntent): Promise<void>;
  part(exportId: string, part: DisclosedPart): Promise<void>;
  interrupted(exportId: string, interruption: DisclosureInterruption): Promise<void>;
  /** Logs the completed disclosure; `accessEntryId` names its entry in the sealed s62 access log. */
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
 * The steps of each export run (issue 12): `intent` before the first byte (study, requester, purpose, selection),
 * `part` for each finished file (name, rows, bytes, SHA-256) before it takes its final name, then `completed` (counts,
 * the manifest's checksum, the disclosure row) or `interrupted` (what stays, what was removed, why). Append-only.
 */
export class CreateResearchDisclosureSteps1765300000000 implements MigrationInterface {
  name = 'CreateResearchDisclosureSteps1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.research_disclosure_steps (
        id         bigserial PRIMARY KEY,
        logged_at  timestamptz NOT NULL DEFAULT now(),
        export_id  uuid NOT NULL,
        step       text NOT NULL CHECK (step IN ('intent', 'part', 'interrupted', 'completed')),
        study_id   text NOT NULL,
        requester  text NOT NULL,
        purpose    text NOT NULL,
        detail     jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX research_disclosure_steps_export ON ${s}.research_disclosure_steps (export_id, id)`);
    for (const sql of appendOnlyTableSql(s, 'research_disclosure_steps')) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.research_disclosure_steps`);
    await queryRunner.query(`DROP FUNCTION ${s}.research_disclosure_steps_append_only()`);
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
  /** Study, requester and purpose of each run seen by this process (the steps after the intent repeat them). */
  private readonly runs = new Map<string, { studyId: string; requester: string; purpose: string }>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly accessLog: PostgresAccessLog,
    readonly schema: string,
  ) {}

  private async step(exportId: string, step: 'intent' | 'part' | 'interrupted' | 'completed', detail: object): Promise<void> {
    const run = this.runs.get(exportId);
    if (!run) throw new Error(`export ${exportId}: no intent logged`);
    await this.pool.query(
      `INSERT INTO ${this.schema}.research_disclosure_steps (export_id, step, study_id, requester, purpose, detail)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [exportId, step, run.studyId, run.requester, run.purpose, JSON.stringify(detail)],
    );
  }

  async intent(i: DisclosureIntent): Promise<void> {
    this.runs.set(i.exportId, { studyId: i.studyId, requester: i.requester, purpose: i.purpose });
    await this.step(i.exportId, 'intent', {
      query: i.query,
      outDir: i.outDir,
      upTo: i.upTo,
      toolVersion: i.toolVersion,
      ...(i.resumeOf !== undefined ? { resumeOf: i.resumeOf } : {}),
    });
  }

  part(exportId: string, part: DisclosedPart): Promise<void> {
    return this.step(exportId, 'part', { name: part.name, rows: part.rows, bytes: part.bytes, sha256: part.sha256 });
  }

  interrupted(exportId: string, interruption: DisclosureInterruption): Promise<void> {
    return this.step(exportId, 'interrupted', interruption);
  }

  static async open(databaseUrl: string, schema = 'nom_audit'): Promise<PostgresDisclosureLog> {
    assertIdentifier(schema);
    const migrations = [CreateResearchDisclosures1764600000000, CreateResearchDisclosureSteps1765300000000];
    await migrateSchema(databaseUrl, schema, migrations, 'research_disclosure_migrations');
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
      [
        d.studyId,
        d.requester,
        d.purpose,
        JSON.stringify(d.query),
        d.eventCount,
        d.manifestSha256,
        JSON.stringify(d.files),
        d.positionRange.from,
        d.positionRange.to,
        d.toolVersion,
        entry.entryId,
      ],
    );
    const disclosure = { id: rows[0]!.id, loggedAt: rows[0]!.logged_at.toISOString(), accessEntryId: entry.entryId };
    if (d.exportId !== undefined) {
      await this.step(d.exportId, 'completed', {
        eventCount: d.eventCount,
        manifestSha256: d.manifestSha256,
        files: d.files,
        disclosureId: disclosure.id,
        accessEntryId: entry.entryId,
      });
    }
    return disclosure;
  }

  async close(): Promise<void> {
    await this.accessLog.close();
    await this.pool.end();
  }
}
