import type { KeyObject } from 'node:crypto';
import pg from 'pg';
import { assertIdentifier, migrateSchema, PostgresReaderDeadLetters, tolerateDisconnects } from '#event-store';
import { GENESIS_HASH, chainLink } from './chain.js';
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_TABLE } from './migrations.js';
import { EVENT_LOG, readCommitted, type SealedLog, type SealedRow } from './sealed-log.js';
import { signCheckpoint, verifyCheckpointSignature, type AuditSigner } from './signing.js';
import type { TamperFinding } from './verify-log.js';
import { verifyPublishedCheckpoint, type PublishedCheckpoint } from './witness.js';

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
  /**
   * Checkpoints kept outside the database (read back from `nom.audit.checkpoints`, or a force's copies): the
   * newest one that verifies is the sealer's anchor from its first run on (ADR 0023).
   */
  readonly anchor?: readonly PublishedCheckpoint[];
  /** Called with every checkpoint signed, once it is stored (the sealer app publishes it outside the database). */
  readonly onCheckpoint?: (checkpoint: PublishedCheckpoint) => Promise<void>;
  /** Keys whose checkpoints the sealer accepts as its starting point (default: its own; add the old one on a rotation). */
  readonly trustedKeys?: readonly KeyObject[];
}

/**
 * The sealer refuses to extend a chain that does not match its anchor (ADR 0023): the newest signed checkpoint it
 * knows of (signed by itself, or kept outside the database) is gone, or the chain from the database's last signed
 * checkpoint to its last seal does not recompute. It never re-chains silently: an operator must look.
 */
export class SealAnchorError extends Error {
  override readonly name = 'SealAnchorError';

  constructor(
    readonly log: SealedLog['name'],
    readonly finding: TamperFinding,
  ) {
    super(`${log}: refusing to extend the chain (${finding.kind} at ${finding.position}): ${finding.detail}`);
  }
}

interface Head {
  readonly position: bigint;
  readonly hash: Buffer;
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
  /** The newest signed checkpoint this sealer knows of: signed by it, found valid, or given as its anchor. */
  private anchor: Head | undefined;
  private refused: TamperFinding | undefined;

  private constructor(private readonly options: LogSealerOptions) {
    this.schema = assertIdentifier(options.schema ?? 'nom_event_store');
    this.log = options.log ?? EVENT_LOG;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
    tolerateDisconnects(this.pool);
    for (const cp of options.anchor ?? []) {
      if (cp.log !== this.log.name || !verifyPublishedCheckpoint(options.signer.publicKey, this.log, cp)) continue;
      this.raiseAnchor({ position: BigInt(cp.position), hash: Buffer.from(cp.hash, 'hex') });
    }
  }

  /** Its name in the log's reader dead letters (`sealer`, or `sealer:<log>` for another log than the events). */
  get readerName(): string {
    return this.log === EVENT_LOG ? 'sealer' : `sealer:${this.log.name}`;
  }

  /** Why the last run refused to extend the chain; undefined once a run succeeds. */
  get refusal(): TamperFinding | undefined {
    return this.refused;
  }

  private raiseAnchor(head: Head): void {
    if (!this.anchor || head.position > this.anchor.position) this.anchor = head;
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
        const start = await this.checkStart(client, batchSize);
        let position = start.position;
        let hash = start.hash;
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
    this.raiseAnchor({ position, hash });
    await this.options.onCheckpoint?.({
      log: this.log.name,
      type: this.log.checkpointType,
      position: position.toString(),
      hash: hash.toString('hex'),
      signedAt,
      keyId: this.options.signer.keyId,
      signature: signature.toString('hex'),
    });
  }

  /**
   * Where the run starts, once checked (ADR 0023): the database's newest checkpoint verifies with a trusted key, is
   * not below the sealer's anchor, its seal and the anchor's match them, and the chain from it to the last seal
   * recomputes from the stored records. Anything else is refused with the finding.
   */
  private async checkStart(client: pg.PoolClient, batchSize: number): Promise<Head> {
    const s = this.schema;
    const log = this.log;
    const refuse = (finding: TamperFinding): never => {
      this.refused = finding;
      throw new SealAnchorError(log.name, finding);
    };
    const sealAt = async (position: bigint): Promise<Buffer | undefined> =>
      (await client.query<{ hash: Buffer }>(`SELECT hash FROM ${s}.log_seals WHERE position = $1`, [position.toString()])).rows[0]?.hash;
    const lastSeal = (
      await client.query<{ position: string; hash: Buffer }>(`SELECT position, hash FROM ${s}.log_seals ORDER BY position DESC LIMIT 1`)
    ).rows[0];
    const head: Head = lastSeal ? { position: BigInt(lastSeal.position), hash: lastSeal.hash } : { position: 0n, hash: GENESIS_HASH };
    const row = (
      await client.query<{ position: string; hash: Buffer; signed_at: Date; signature: Buffer; key_id: string }>(
        `SELECT position, hash, signed_at, signature, key_id FROM ${s}.log_checkpoints ORDER BY position DESC LIMIT 1`,
      )
    ).rows[0];
    let from: Head = { position: 0n, hash: GENESIS_HASH };
    if (row) {
      from = { position: BigInt(row.position), hash: row.hash };
      const claim = { position: from.position, hash: row.hash, signedAt: row.signed_at.toISOString(), keyId: row.key_id };
      const keys = this.options.trustedKeys ?? [this.options.signer.publicKey];
      if (!keys.some((key) => verifyCheckpointSignature(key, claim, row.signature, log.checkpointType))) {
        const detail = `the newest checkpoint (key ${row.key_id}) does not verify with a trusted key`;
        refuse({ kind: 'checkpoint-signature-invalid', position: row.position, detail });
      }
      if (from.position > head.position) {
        const detail = 'a signed checkpoint lies beyond the last seal: seals were removed';
        refuse({ kind: 'checkpoint-mismatch', position: row.position, detail });
      }
      if (!(await sealAt(from.position))?.equals(from.hash)) {
        const detail = 'the seal at the newest signed checkpoint differs from it: the chain was rewritten';
        refuse({ kind: 'checkpoint-mismatch', position: row.position, detail });
      }
    }
    const anchor = this.anchor;
    if (anchor && from.position < anchor.position) {
      const below = await client.query<{ position: string | null }>(
        `SELECT max(position) AS position FROM ${s}.log_seals WHERE position <= $1`,
        [anchor.position.toString()],
      );
      const p = below.rows[0]?.position ?? '0';
      refuse({
        kind: 'checkpoint-regressed',
        position: p,
        detail:
          `the newest signed checkpoint in the database is at ${from.position}, but one was signed at ${anchor.position}: ` +
          `what followed ${p} was removed`,
      });
    }
    if (anchor && !(await sealAt(anchor.position))?.equals(anchor.hash)) {
      const detail = 'the chain at the last checkpoint the sealer knows of has changed: it was rewritten';
      refuse({ kind: 'checkpoint-mismatch', position: anchor.position.toString(), detail });
    }
    await this.recompute(client, from, head, batchSize, refuse);
    if (row) this.raiseAnchor(from);
    this.refused = undefined;
    return head;
  }

  /** The chain from a verified checkpoint to the last seal, recomputed from the stored records. */
  private async recompute(
    client: pg.PoolClient,
    from: Head,
    head: Head,
    batchSize: number,
    refuse: (finding: TamperFinding) => never,
  ): Promise<void> {
    const { log, schema: s } = this;
    const noun = log.noun;
    let previous = from.hash;
    let after = from.position;
    while (after < head.position) {
      const range = [after.toString(), head.position.toString(), batchSize];
      const records = (
        await client.query<SealedRow>(
          `SELECT ${log.columns} FROM ${s}.${log.table} WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
          range,
        )
      ).rows;
      const seals = (
        await client.query<{ position: string; event_id: string; hash: Buffer }>(
          `SELECT position, event_id, hash FROM ${s}.log_seals WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
          range,
        )
      ).rows;
      for (let i = 0; i < Math.max(records.length, seals.length); i++) {
        const record = records[i];
        const seal = seals[i];
        if (!record || (seal && BigInt(seal.position) < BigInt(record.position))) {
          refuse({ kind: `${noun}-deleted`, position: seal!.position, detail: `sealed ${noun} ${seal!.event_id} is missing` });
        }
        if (!seal || BigInt(record.position) < BigInt(seal.position)) {
          refuse({ kind: `${noun}-inserted`, position: record.position, detail: `${noun} ${log.idOf(record)} was never sealed` });
        }
        previous = chainLink(previous, log.canonicalOf(record));
        if (log.idOf(record) !== seal.event_id || !previous.equals(seal.hash)) {
          refuse({ kind: `${noun}-altered`, position: record.position, detail: `${noun} ${log.idOf(record)} no longer matches its seal` });
        }
        after = BigInt(record.position);
      }
      if (records.length < batchSize) break;
    }
  }

  /** This log's signed checkpoints after `after`, oldest first. */
  checkpoints(after: bigint, limit: number): Promise<PublishedCheckpoint[]> {
    return listCheckpoints(this.pool, this.schema, this.log, after, limit);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Signed checkpoints of a log after `after`, oldest first, as forces fetch them to keep their own copies. */
export async function listCheckpoints(
  client: pg.ClientBase | pg.Pool,
  schema: string,
  log: SealedLog,
  after: bigint,
  limit: number,
): Promise<PublishedCheckpoint[]> {
  const { rows } = await client.query<{ position: string; hash: Buffer; signed_at: Date; signature: Buffer; key_id: string }>(
    `SELECT position, hash, signed_at, signature, key_id FROM ${assertIdentifier(schema)}.log_checkpoints WHERE position > $1 ORDER BY position LIMIT $2`,
    [after.toString(), limit],
  );
  return rows.map((row) => checkpointOf(log, row));
}

/** The newest signed checkpoint of a log (undefined: none yet), by the index on position, whatever the table's length. */
export async function latestCheckpoint(
  client: pg.ClientBase | pg.Pool,
  schema: string,
  log: SealedLog,
): Promise<PublishedCheckpoint | undefined> {
  const { rows } = await client.query<{ position: string; hash: Buffer; signed_at: Date; signature: Buffer; key_id: string }>(
    `SELECT position, hash, signed_at, signature, key_id FROM ${assertIdentifier(schema)}.log_checkpoints ORDER BY position DESC LIMIT 1`,
  );
  return rows.map((row) => checkpointOf(log, row))[0];
}

function checkpointOf(
  log: SealedLog,
  row: { position: string; hash: Buffer; signed_at: Date; signature: Buffer; key_id: string },
): PublishedCheckpoint {
  return {
    log: log.name,
    type: log.checkpointType,
    position: row.position,
    hash: row.hash.toString('hex'),
    signedAt: row.signed_at.toISOString(),
    keyId: row.key_id,
    signature: row.signature.toString('hex'),
  };
}
