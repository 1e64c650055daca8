import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { assertIdentifier } from '../postgres/identifiers.js';
import { migrateSchema, targetSchema } from '../postgres/schema-migrations.js';
import { tolerateDisconnects } from '../postgres/pool.js';
import { newDataKey } from './field-cipher.js';
import type { KeyWrapper } from './key-wrapper.js';
import type { ErasureRecord, SubjectKey, SubjectKeyStore, Tombstone } from './subject-key-store.port.js';

export class CreateSubjectKeys1764300400000 implements MigrationInterface {
  name = 'CreateSubjectKeys1764300400000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    // Wrapped data keys: deleting the row is the erasure (crypto-shredding); nothing else holds the key.
    await queryRunner.query(`
      CREATE TABLE ${s}.subject_keys (
        subject_id  text PRIMARY KEY,
        wrapped_key bytea NOT NULL,
        kek_id      text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // The tombstone: the subject stays erased (no new key is ever made for it); no personal data in it.
    await queryRunner.query(`
      CREATE TABLE ${s}.subject_erasures (
        subject_id text PRIMARY KEY,
        force      text NOT NULL,
        erased_at  timestamptz NOT NULL DEFAULT now(),
        erased_by  text NOT NULL,
        reason     text NOT NULL,
        reference  text
      )`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.subject_erasures, ${s}.subject_keys`);
  }
}

export const SUBJECT_KEY_MIGRATIONS = [CreateSubjectKeys1764300400000];

interface KeyRow {
  subject_id: string;
  wrapped_key: Buffer | null;
  kek_id: string | null;
  erased: boolean;
}

/** PostgreSQL key store: tables beside the event log, keys wrapped by the KeyWrapper (local KEK or a KMS). */
export class PostgresSubjectKeyStore implements SubjectKeyStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly wrapper: KeyWrapper,
  ) {}

  static async open(options: {
    connectionString: string;
    schema: string;
    wrapper: KeyWrapper;
    poolSize?: number;
  }): Promise<PostgresSubjectKeyStore> {
    const schema = assertIdentifier(options.schema);
    await migrateSchema(options.connectionString, schema, SUBJECT_KEY_MIGRATIONS, 'privacy_migrations');
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
    tolerateDisconnects(pool);
    return new PostgresSubjectKeyStore(pool, schema, options.wrapper);
  }

  private async select(subjectIds: readonly string[]): Promise<KeyRow[]> {
    const s = this.schema;
    const { rows } = await this.pool.query<KeyRow>(
      `SELECT id AS subject_id, k.wrapped_key, k.kek_id, e.subject_id IS NOT NULL AS erased
       FROM unnest($1::text[]) AS id
       LEFT JOIN ${s}.subject_keys k ON k.subject_id = id
       LEFT JOIN ${s}.subject_erasures e ON e.subject_id = id`,
      [[...new Set(subjectIds)]],
    );
    return rows;
  }

  private async toKeys(rows: readonly KeyRow[]): Promise<Map<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    for (const row of rows) {
      if (row.erased) keys.set(row.subject_id, { state: 'erased' });
      else if (row.wrapped_key && row.kek_id)
        keys.set(row.subject_id, { state: 'active', key: await this.wrapper.unwrap(row.wrapped_key, row.subject_id, row.kek_id) });
    }
    return keys;
  }

  async keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>> {
    if (subjectIds.length === 0) return new Map();
    return this.toKeys(await this.select(subjectIds));
  }

  async keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>> {
    if (subjectIds.length === 0) return new Map();
    const rows = await this.select(subjectIds);
    const missing = rows.filter((r) => !r.erased && !r.wrapped_key).map((r) => r.subject_id);
    if (missing.length === 0) return this.toKeys(rows);
    const wrapped = await Promise.all(missing.map((id) => this.wrapper.wrap(newDataKey(), id)));
    // Never for an erased subject (the tombstone check), and the first writer's key wins (ON CONFLICT): a
    // concurrent writer reads the winner's key back below. An erasure locks the table against this insert.
    await this.pool.query(
      `INSERT INTO ${this.schema}.subject_keys (subject_id, wrapped_key, kek_id)
       SELECT n.id, n.wrapped, $3 FROM unnest($1::text[], $2::bytea[]) AS n(id, wrapped)
       WHERE NOT EXISTS (SELECT 1 FROM ${this.schema}.subject_erasures e WHERE e.subject_id = n.id)
       ON CONFLICT (subject_id) DO NOTHING`,
      [missing, wrapped, this.wrapper.kekId],
    );
    return this.toKeys(await this.select(subjectIds));
  }

  async erase(subjectIds: readonly string[], record: ErasureRecord): Promise<readonly Tombstone[]> {
    const s = this.schema;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Blocks key creation (INSERT) until this commits, so no key can be created for a subject between the
      // tombstone and the DELETE; readers (SELECT) are not blocked.
      await client.query(`LOCK TABLE ${s}.subject_keys IN SHARE ROW EXCLUSIVE MODE`);
      await client.query(
        `INSERT INTO ${s}.subject_erasures (subject_id, force, erased_by, reason, reference)
         SELECT id, $2, $3, $4, $5 FROM unnest($1::text[]) AS id ON CONFLICT (subject_id) DO NOTHING`,
        [[...subjectIds], record.force, record.erasedBy, record.reason, record.reference ?? null],
      );
      await client.query(`DELETE FROM ${s}.subject_keys WHERE subject_id = ANY ($1::text[])`, [[...subjectIds]]);
      const { rows } = await client.query<{
        subject_id: string;
        force: string;
        erased_at: Date;
        erased_by: string;
        reason: string;
        reference: string | null;
      }>(
        `SELECT subject_id, force, erased_at, erased_by, reason, reference FROM ${s}.subject_erasures WHERE subject_id = ANY ($1::text[])`,
        [[...subjectIds]],
      );
      await client.query('COMMIT');
      const byId = new Map(rows.map((r) => [r.subject_id, r]));
      return subjectIds.map((id) => {
        const r = byId.get(id)!;
        return {
          subjectId: id,
          force: r.force,
          erasedAt: r.erased_at.toISOString(),
          erasedBy: r.erased_by,
          reason: r.reason,
          ...(r.reference === null ? {} : { reference: r.reference }),
        };
      });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
