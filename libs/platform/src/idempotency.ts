import { createHash } from 'node:crypto';
import { CallHandler, Inject, Injectable, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import pg from 'pg';
import { from, mergeMap, of, type Observable } from 'rxjs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { deterministicUuid } from '#contracts';
import { migrateSchema, targetSchema, tolerateDisconnects } from '#event-store';
import type { AuthenticatedRequest } from './auth.guard.js';
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

export class PostgresIdempotencyStore implements IdempotencyStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  static async open(databaseUrl: string, schema: string): Promise<PostgresIdempotencyStore> {
    await migrateSchema(databaseUrl, schema, [CreateIdempotencyKeys1764300200000], 'platform_migrations');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    tolerateDisconnects(pool); // idle connections ended by the server; the next query reconnects
    return new PostgresIdempotencyStore(pool, schema);
  }

  async find(force: string, key: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; status: number; body: unknown; headers: Record<string, string> }>(
      `SELECT request_hash, status, body, headers FROM ${this.schema}.idempotency_keys WHERE force = $1 AND key = $2`,
      [force, key],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, status: row.status, body: row.body, headers: row.headers };
  }

  async save(force: string, key: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.idempotency_keys (force, key, request_hash, status, body, headers)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [force, key, response.requestHash, response.status, JSON.stringify(response.body ?? null), JSON.stringify(response.headers)],
    );
  }

  async forgetResponsesNaming(force: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    // LIKE on ids of [A-Za-z0-9-] only (UUIDs, officer ids): no LIKE metacharacter can be in them.
    const patterns = ids.filter((id) => /^[A-Za-z0-9-]+$/.test(id)).map((id) => `%${id}%`);
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.schema}.idempotency_keys WHERE force = $1 AND (body::text LIKE ANY ($2::text[]) OR headers::text LIKE ANY ($2::text[]))`,
      [force, patterns],
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
    const requestHash = createHash('sha256')
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
