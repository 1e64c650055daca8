import pg from 'pg';
import { assertIdentifier, migrateSchema, PostgresReaderDeadLetters, tolerateDisconnects } from '#event-store';
import { GENESIS_HASH, chainLink } from './chain.js';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE } from './migrations.js';
import { EVENT_LOG, readCommitted, type SealedLog } from './sealed-log.js';
import { signCheckpoint, type AuditSigner } from './signing.js';

export interface LogSealerOptions {
  readonly connectionString: string;
  /** Schema of the log; the seal tables live beside it. */
  readonly schema?: string;
  /** Which log (default: the event log). */
  readonly log?: SealedLog;
  readonly signer: AuditSigner;
  /** A signed checkpoint every this many sealed records (and at the end of every run). */
  readonly checkpointEvery?: number;
  /** Records read and seal rows written per round trip. */
  readonly batchSize?: number;
}

export interface SealResult {
  readonly sealed: number;
  readonly checkpoints: number;
  /** Last sealed position (0n: nothing sealed yet). */
  readonly position: bigint;
  readonly hash: Buffer;
}

/**
 * Extends the hash chain over a log (the event log, the access log), in position order, from the last sealed
 * position (its checkpoint is the chain itself). It reads committed rows below the read horizon only (ADR 0003), as
 * the relay does: a late commit can never land below a position already sealed. Writers never wait for it. One
 * sealer runs at a time per log (a session advisory lock); a second one waits, then continues where the first stopped.
 */
export class LogSealer {
  readonly schema: string;
  readonly log: SealedLog;
  private readonly pool: pg.Pool;

  private constructor(private readonly options: LogSealerOptions) {
    this.schema = assertIdentifier(options.schema ?? 'nom_event_store');
    this.log = options.log ?? EVENT_LOG;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
    tolerateDisconnects(this.pool);
  }

  /** Its name in the log's reader dead letters (`sealer`, or `sealer:<log>` for another log than the events). */
  get readerName(): string {
    return this.log === EVENT_LOG ? 'sealer' : `sealer:${this.log.name}`;
  }

  /** Runs the seal-table migrations, then opens the pool. */
  static async open(options: LogSealerOptions): Promise<LogSealer> {
    const sealer = new LogSealer(options);
    await migrateSchema(options.connectionString, sealer.schema, AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE);
    return sealer;
  }

  /** Seals every record committed so far; returns what it added. */
  async seal(): Promise<SealResult> {
    const s = this.schema;
    const batchSize = this.options.batchSize ?? 1000;
    const checkpointEvery = this.options.checkpointEvery ?? 1000;
    const client = await this.pool.connect();
    try {
      const lock = `nom-audit-seal:${s}.${this.log.table}`;
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        const last = await client.query<{ position: string; hash: Buffer }>(
          `SELECT position, hash FROM ${s}.log_seals ORDER BY position DESC LIMIT 1`,
        );
        let position = last.rows[0] ? BigInt(last.rows[0].position) : 0n;
        let hash = last.rows[0]?.hash ?? GENESIS_HASH;
        let sealed = 0;
        let checkpoints = 0;
        let pending: { position: bigint; id: string; hash: Buffer }[] = [];
        const flush = async (): Promise<void> => {
          if (pending.length === 0) return;
          await client.query(
            `INSERT INTO ${s}.log_seals (position, event_id, hash)
             SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::bytea[])`,
            [pending.map((p) => p.position.toString()), pending.map((p) => p.id), pending.map((p) => p.hash)],
          );
          pending = [];
        };
        for await (const record of readCommitted(client, s, this.log, position, batchSize)) {
          // A row it could not read as it is was sealed in its raw form: recorded before its seal is written.
          if (record.undecodable) await new PostgresReaderDeadLetters(client, s).recordDeadLetter(this.readerName, record.undecodable);
          hash = chainLink(hash, record.canonical);
          position = record.position;
          pending.push({ position, id: record.id, hash });
          sealed += 1;
          if (pending.length >= batchSize) await flush();
          if (sealed % checkpointEvery === 0) {
            await flush();
            await this.checkpoint(client, position, hash);
            checkpoints += 1;
          }
        }
        await flush();
        // End of run: sign the head unless it is signed already (also covers a run that died before signing).
        if (position > 0n) {
          const signed = await client.query(`SELECT 1 FROM ${s}.log_checkpoints WHERE position = $1`, [position.toString()]);
          if (signed.rowCount === 0) {
            await this.checkpoint(client, position, hash);
            checkpoints += 1;
          }
        }
        return { sealed, checkpoints, position, hash };
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      client.release();
    }
  }

  private async checkpoint(client: pg.PoolClient, position: bigint, hash: Buffer): Promise<void> {
    const signedAt = new Date().toISOString();
    const signature = signCheckpoint(this.options.signer, { position, hash, signedAt }, this.log.checkpointType);
    await client.query(
      `INSERT INTO ${this.schema}.log_checkpoints (position, hash, signed_at, signature, key_id) VALUES ($1, $2, $3, $4, $5)`,
      [position.toString(), hash, signedAt, signature, this.options.signer.keyId],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A signed checkpoint as published to forces (hash and signature in hex). */
export interface PublishedCheckpoint {
  readonly log: SealedLog['name'];
  readonly type: string;
  readonly position: string;
  readonly hash: string;
  readonly signedAt: string;
  readonly keyId: string;
  readonly signature: string;
}

/** Signed checkpoints of a log after `after`, oldest first, as forces fetch them to keep their own copies. */
export async function listCheckpoints(client: pg.ClientBase | pg.Pool, schema: string, log: SealedLog, after: bigint, limit: number): Promise<PublishedCheckpoint[]> {
  const { rows } = await client.query<{ position: string; hash: Buffer; signed_at: Date; signature: Buffer; key_id: string }>(
    `SELECT position, hash, signed_at, signature, key_id FROM ${assertIdentifier(schema)}.log_checkpoints WHERE position > $1 ORDER BY position LIMIT $2`,
    [after.toString(), limit],
  );
  return rows.map((row) => ({
    log: log.name,
    type: log.checkpointType,
    position: row.position,
    hash: row.hash.toString('hex'),
    signedAt: row.signed_at.toISOString(),
    keyId: row.key_id,
    signature: row.signature.toString('hex'),
  }));
}
