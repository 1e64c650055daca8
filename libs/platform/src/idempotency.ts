import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { CallHandler, Inject, Injectable, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import pg from 'pg';
import { from, mergeMap, of, type Observable } from 'rxjs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { deterministicUuid } from '#contracts';
import { migrateSchema, targetSchema, tolerateDisconnects } from '#event-store';
import type { AuthenticatedRequest } from './auth.guard.js';
import { systemClock, type Clock } from './clock.js';
import { problem } from './problem.js';
import { IDEMPOTENCY_STORE } from './tokens.js';

const KEY = /^[A-Za-z0-9_.:-]{8,200}$/;

export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** First responses to requests that carried an Idempotency-Key, per force. */
export interface IdempotencyStore {
  find(force: string, key: string): Promise<StoredResponse | undefined>;
  save(force: string, key: string, response: StoredResponse): Promise<void>;
  /**
   * Forgets the stored responses that name any of these ids (body or headers): erasure (ADR 0011), since a
   * stored response may hold a subject's personal data in clear. Returns how many were forgotten.
   */
  forgetResponsesNaming(force: string, ids: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export class CreateIdempotencyKeys1764300200000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764300200000';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`
      CREATE TABLE ${s}.idempotency_keys (
        force        text NOT NULL,
        key          text NOT NULL,
        request_hash text NOT NULL,
        status       integer NOT NULL,
        body         jsonb,
        headers      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (force, key)
      )`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DROP TABLE ${s}.idempotency_keys`);
  }
}

/**
 * A kept response is personal data (a view names the suspect), so since issue 12 the row holds no field in clear:
 * the key only as a hash, the response (body and replayed headers) sealed with AES-256-GCM under a key derived
 * from the Idempotency-Key itself (HKDF), which only the client that sent it holds; the UUIDs the response names
 * and id-like values (for erasure) and an expiry. Rows kept before this held bodies in clear and are deleted.
 */
export class SealIdempotencyResponses1764300200001 implements MigrationInterface {
  name = 'SealIdempotencyResponses1764300200001';
  async up(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DELETE FROM ${s}.idempotency_keys`);
    await queryRunner.query(`ALTER TABLE ${s}.idempotency_keys DROP COLUMN body, DROP COLUMN headers`);
    await queryRunner.query(
      `ALTER TABLE ${s}.idempotency_keys ADD COLUMN sealed bytea NOT NULL, ADD COLUMN subject_ids text[] NOT NULL, ADD COLUMN expires_at timestamptz NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX idempotency_keys_expiry ON ${s}.idempotency_keys (expires_at)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    const s = targetSchema(queryRunner.connection.options as { schema?: string });
    await queryRunner.query(`DELETE FROM ${s}.idempotency_keys`);
    await queryRunner.query(`ALTER TABLE ${s}.idempotency_keys DROP COLUMN sealed, DROP COLUMN subject_ids, DROP COLUMN expires_at`);
    await queryRunner.query(`ALTER TABLE ${s}.idempotency_keys ADD COLUMN body jsonb, ADD COLUMN headers jsonb NOT NULL`);
  }
}

export interface IdempotencyStoreOptions {
  /** "Now" for expiry (ADR 0018). */
  readonly clock?: Clock;
  /** How long a response is kept (NOM_IDEMPOTENCY_TTL_HOURS, default 24). */
  readonly ttlHours?: number;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ID_FIELD = /(Id|Ids|By|^actor)$/;
const ID = /^[A-Za-z0-9-]{2,64}$/;

/**
 * The ids a response names, kept beside the sealed response so that erasure can find it: every UUID, and the value
 * of every id-like field (`officerId`, `erasedBy`, `actor`...), which holds officer ids. Ids are pseudonymous
 * references, as in the access log; names, birthdays and free text never match.
 */
function idsNamedIn(plain: string): string[] {
  const ids = new Set((plain.match(UUID) ?? []).map((id) => id.toLowerCase()));
  const walk = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    for (const [field, nested] of Object.entries(value)) {
      const values: unknown[] = Array.isArray(nested) ? nested : [nested];
      if (ID_FIELD.test(field)) for (const v of values) if (typeof v === 'string' && ID.test(v)) ids.add(v.toLowerCase());
      walk(nested, depth + 1);
    }
  };
  walk(JSON.parse(plain), 0);
  return [...ids];
}
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyHash(force: string, key: string): string {
  return createHash('sha256').update(`${force}\u0000${key}`).digest('hex');
}

function sealingKey(force: string, key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, force, 'nom-idempotency-response', 32));
}

function seal(force: string, key: string, plain: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(force, key), iv);
  cipher.setAAD(Buffer.from(keyHash(force, key)));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function unseal(force: string, key: string, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(force, key), sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(keyHash(force, key)));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly clock: Clock;
  private readonly ttlMs: number;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    options: IdempotencyStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = (options.ttlHours ?? 24) * 3_600_000;
  }

  static async open(databaseUrl: string, schema: string, options: IdempotencyStoreOptions = {}): Promise<PostgresIdempotencyStore> {
    await migrateSchema(
      databaseUrl,
      schema,
      [CreateIdempotencyKeys1764300200000, SealIdempotencyResponses1764300200001],
      'platform_migrations',
    );
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    tolerateDisconnects(pool); // idle connections ended by the server; the next query reconnects
    return new PostgresIdempotencyStore(pool, schema, options);
  }

  async find(force: string, key: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; status: number; sealed: Buffer }>(
      `SELECT request_hash, status, sealed FROM ${this.schema}.idempotency_keys WHERE force = $1 AND key = $2 AND expires_at > $3`,
      [force, keyHash(force, key), this.clock.now()],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { body, headers } = JSON.parse(unseal(force, key, row.sealed)) as { body: unknown; headers: Record<string, string> };
    return { requestHash: row.request_hash, status: row.status, body, headers };
  }

  async save(force: string, key: string, response: StoredResponse): Promise<void> {
    const now = this.clock.now();
    const plain = JSON.stringify({ body: response.body ?? null, headers: response.headers });
    const subjectIds = idsNamedIn(plain);
    // Expired rows go on every write (an index range scan), so nothing outlives its time to live by much.
    await this.pool.query(`DELETE FROM ${this.schema}.idempotency_keys WHERE expires_at <= $1`, [now]);
    await this.pool.query(
      `INSERT INTO ${this.schema}.idempotency_keys (force, key, request_hash, status, sealed, subject_ids, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        force,
        keyHash(force, key),
        response.requestHash,
        response.status,
        seal(force, key, plain),
        subjectIds,
        now,
        new Date(now.getTime() + this.ttlMs),
      ],
    );
  }

  async forgetResponsesNaming(force: string, ids: readonly string[]): Promise<number> {
    const named = ids.filter((id) => ID.test(id)).map((id) => id.toLowerCase());
    if (named.length === 0) return 0;
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.schema}.idempotency_keys WHERE force = $1 AND subject_ids && $2::text[]`,
      [force, named],
    );
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The request's Idempotency-Key header, checked for form (400 otherwise), or undefined. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw problem(400, 'invalid-request', 'The request is invalid', {
      errors: [{ field: 'Idempotency-Key', reason: 'must be 8-200 letters, digits or _ . : -' }],
    });
  }
  return key;
}

/** Event ids derived from the idempotency key: a retried command appends the very same events (a no-op). */
export function idempotentEventId(force: string, key: string, streamId: string, index: number): string {
  return deterministicUuid(force, key, streamId, String(index));
}

const REPLAYED_HEADERS = ['etag', 'location'];

/**
 * Idempotency-Key on commands (IETF draft "The Idempotency-Key HTTP Header Field"): the first successful
 * response is kept per force and key; a retry with the same request gets it again (with
 * `Idempotent-Replayed: true`) and stores nothing twice; the same key with a different request is a 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.method === 'GET' ? undefined : idempotencyKeyOf(request);
    const identity = request.identity;
    if (!key || !identity) return next.handle();
    // Keyed by the Idempotency-Key: a hash of the request that cannot be tested against guessed bodies without it.
    const requestHash = createHmac('sha256', key)
      .update(JSON.stringify([request.method, request.originalUrl, identity.officerId, request.body ?? null]))
      .digest('hex');
    return from(this.store.find(identity.force, key)).pipe(
      mergeMap((stored) => {
        if (stored) {
          if (stored.requestHash !== requestHash) {
            throw problem(422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request', {
              errors: [{ field: 'Idempotency-Key', reason: 'was already used with a different request' }],
            });
          }
          response.status(stored.status);
          for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
          response.setHeader('Idempotent-Replayed', 'true');
          return of(stored.body);
        }
        return next.handle().pipe(
          mergeMap((body: unknown) => {
            const headers = Object.fromEntries(
              REPLAYED_HEADERS.flatMap((name) => {
                const value = response.getHeader(name);
                return value === undefined ? [] : [[name, String(value)]];
              }),
            );
            return from(this.store.save(identity.force, key, { requestHash, status: response.statusCode, body, headers }).then(() => body));
          }),
        );
      }),
    );
  }
}
