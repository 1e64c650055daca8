import type { MigrationInterface, QueryRunner } from 'typeorm';
import pg from 'pg';
import { assertIdentifier, migrateSchema, targetSchema } from '#event-store';

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
  record(disclosure: DisclosureRecord): Promise<{ readonly id: string; readonly loggedAt: string }>;
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
        tool_version     text NOT NULL
      )`);
    // Append-only: a disclosure once logged can be neither changed nor removed.
    await queryRunner.query(`
      CREATE FUNCTION ${s}.research_disclosures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'research_disclosures is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER research_disclosures_append_only BEFORE UPDATE OR DELETE ON ${s}.research_disclosures
      FOR EACH ROW EXECUTE FUNCTION ${s}.research_disclosures_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER research_disclosures_no_truncate BEFORE TRUNCATE ON ${s}.research_disclosures
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.research_disclosures_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.research_disclosures`);
    await queryRunner.query(`DROP FUNCTION ${s}.research_disclosures_append_only()`);
  }
}

/** The disclosure log in PostgreSQL: `<audit schema>.research_disclosures`, append-only by trigger. */
export class PostgresDisclosureLog implements DisclosureLog {
  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  static async open(databaseUrl: string, schema = 'nom_audit'): Promise<PostgresDisclosureLog> {
    assertIdentifier(schema);
    await migrateSchema(databaseUrl, schema, [CreateResearchDisclosures1764600000000], 'research_disclosure_migrations');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    pool.on('error', () => undefined);
    return new PostgresDisclosureLog(pool, schema);
  }

  async record(d: DisclosureRecord): Promise<{ id: string; loggedAt: string }> {
    const { rows } = await this.pool.query<{ id: string; logged_at: Date }>(
      `INSERT INTO ${this.schema}.research_disclosures
         (study_id, requester, purpose, query, event_count, manifest_sha256, files, position_from, position_to, tool_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, logged_at`,
      [d.studyId, d.requester, d.purpose, JSON.stringify(d.query), d.eventCount, d.manifestSha256, JSON.stringify(d.files), d.positionRange.from, d.positionRange.to, d.toolVersion],
    );
    return { id: rows[0]!.id, loggedAt: rows[0]!.logged_at.toISOString() };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
