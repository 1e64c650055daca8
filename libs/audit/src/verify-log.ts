import type { KeyObject } from 'node:crypto';
import pg from 'pg';
import { assertIdentifier } from '#event-store';
import { GENESIS_HASH, chainLink } from './chain.js';
import { canonicalRecord, EVENT_LOG, type SealedLog, type SealedRow } from './sealed-log.js';
import { verifyCheckpointSignature } from './signing.js';
import { checkWitness, type WitnessFindingKind, type WitnessOptions } from './witness.js';

/** `event-…` in the event log, `entry-…` in the access log. */
type RecordTamper = 'altered' | 'deleted' | 'inserted' | 'reordered';

export type TamperKind =
  /**
   * `-altered`: the record at a sealed position no longer hashes to its seal (data, metadata, actor, ... changed);
   * `-deleted`: a sealed position has no record any more; `-inserted`: a record sits at a position, at or below
   * the last sealed one, that was never sealed; `-reordered`: the record sealed at this position now sits at another.
   */
  | `${SealedLog['noun']}-${RecordTamper}`
  /** The record is intact but its stored seal hash was changed. */
  | 'seal-altered'
  /** A checkpoint's signature does not verify with the public key (or names another key). */
  | 'checkpoint-signature-invalid'
  /** A correctly signed checkpoint disagrees with the chain: records and seals were rewritten after signing. */
  | 'checkpoint-mismatch'
  /** The sealer's anchor: the newest signed checkpoint in the database lies below one signed before (ADR 0023). */
  | 'checkpoint-regressed'
  /** Against checkpoints kept outside the database (ADR 0023). */
  | WitnessFindingKind;

export interface TamperFinding {
  readonly kind: TamperKind;
  /** Log position where the chain first diverges (decimal string: positions are 64-bit). */
  readonly position: string;
  readonly detail: string;
}

export interface VerifyLogOptions {
  readonly connectionString: string;
  readonly schema?: string;
  /** Which log (default: the event log). */
  readonly log?: SealedLog;
  /** The Ed25519 public key the checkpoints were signed with. */
  readonly publicKey: KeyObject;
  /** Rows per round trip; memory is bounded by this, not by the log's length. */
  readonly batchSize?: number;
  /** Checkpoints kept outside the database, and the maximum age of the sealed head (ADR 0023). */
  readonly witness?: WitnessOptions;
}

export interface VerifyLogResult {
  readonly log: SealedLog['name'];
  readonly intact: boolean;
  /** Records recomputed and matched against their seals before the first finding (all of them when intact). */
  readonly verifiedRecords: number;
  readonly verifiedCheckpoints: number;
  /** Last sealed position ('0': nothing sealed). */
  readonly sealedThrough: string;
  readonly lastCheckpoint?: { readonly position: string; readonly signedAt: string };
  /** Records committed after the last seal: not yet covered, not a finding. */
  readonly unsealedRecords: number;
  /** With a witness: kept checkpoints of this log found in the database, as signed. */
  readonly witnessedCheckpoints?: number;
  readonly finding?: TamperFinding;
  /**
   * Sealed records it could not read as they are (verified in their raw form, or their unsealed columns could not
   * be checked): the verifier's dead letters, not findings. The first 100; `undecodableRecords` counts them all.
   */
  readonly undecodable: readonly UndecodableRecord[];
  readonly undecodableRecords: number;
}

export interface UndecodableRecord {
  readonly position: string;
  readonly eventId: string;
  readonly reason: string;
}

interface SealRow {
  position: string;
  event_id: string;
  hash: Buffer;
}
interface CheckpointRow {
  position: string;
  hash: Buffer;
  signed_at: Date;
  signature: Buffer;
  key_id: string;
}

/** A keyset-paged, position-ordered cursor over one table: holds one batch at a time. */
class Cursor<T extends { position: string }> {
  private buffer: T[] = [];
  private index = 0;
  private after = 0n;
  private done = false;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly sql: string,
    private readonly upTo: bigint | undefined,
    private readonly batchSize: number,
  ) {}

  async peek(): Promise<T | undefined> {
    if (this.index < this.buffer.length) return this.buffer[this.index];
    if (this.done) return undefined;
    const params = [this.after.toString(), this.batchSize, ...(this.upTo === undefined ? [] : [this.upTo.toString()])];
    const { rows } = await this.client.query<T>(this.sql, params);
    this.buffer = rows;
    this.index = 0;
    if (rows.length < this.batchSize) this.done = true;
    const last = rows[rows.length - 1];
    if (last) this.after = BigInt(last.position);
    return rows[0];
  }

  async next(): Promise<T | undefined> {
    const row = await this.peek();
    if (row) this.index += 1;
    return row;
  }
}

/**
 * Recomputes a log's hash chain from its rows (`<schema>.events`, `<schema>.access_log`) and checks it against
 * `log_seals` and the signed `log_checkpoints`, streaming all three in position order (a merge, constant memory)
 * inside one repeatable-read snapshot. Stops at the first divergence and names it.
 */
export async function verifyLog(options: VerifyLogOptions): Promise<VerifyLogResult> {
  const s = assertIdentifier(options.schema ?? 'nom_event_store');
  const batchSize = options.batchSize ?? 1000;
  const client = new pg.Client({ connectionString: options.connectionString });
  // A connection the server ends fails the query in flight; unheard, its `error` event would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const log = options.log ?? EVENT_LOG;
      const result = await verifyInSnapshot(client, s, log, options.publicKey, batchSize);
      if (!options.witness || !result.intact) return result;
      const lastCheckpoint = result.lastCheckpoint ? { lastCheckpoint: result.lastCheckpoint } : {};
      const state = { sealedThrough: BigInt(result.sealedThrough), ...lastCheckpoint };
      const { witnessed, finding } = await checkWitness(client, s, log, options.publicKey, options.witness, state);
      return { ...result, intact: finding === undefined, witnessedCheckpoints: witnessed, ...(finding ? { finding } : {}) };
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
}

async function verifyInSnapshot(
  client: pg.Client,
  s: string,
  log: SealedLog,
  publicKey: KeyObject,
  batchSize: number,
): Promise<VerifyLogResult> {
  const head = await client.query<{ position: string | null }>(`SELECT max(position) AS position FROM ${s}.log_seals`);
  const sealedThrough = BigInt(head.rows[0]?.position ?? '0');
  const unsealed = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.${log.table} WHERE position > $1`, [
    sealedThrough.toString(),
  ]);
  const unsealedRecords = Number(unsealed.rows[0]?.n ?? 0);
  const noun = log.noun;

  const records = new Cursor<SealedRow>(
    client,
    `SELECT ${log.columns} FROM ${s}.${log.table}
     WHERE position > $1 AND position <= $3 ORDER BY position LIMIT $2`,
    sealedThrough,
    batchSize,
  );
  const seals = new Cursor<SealRow>(
    client,
    `SELECT position, event_id, hash FROM ${s}.log_seals WHERE position > $1 ORDER BY position LIMIT $2`,
    undefined,
    batchSize,
  );
  const checkpoints = new Cursor<CheckpointRow>(
    client,
    `SELECT position, hash, signed_at, signature, key_id FROM ${s}.log_checkpoints WHERE position > $1 ORDER BY position LIMIT $2`,
    undefined,
    batchSize,
  );

  let verifiedRecords = 0;
  let verifiedCheckpoints = 0;
  const undecodable: UndecodableRecord[] = [];
  let undecodableRecords = 0;
  const report = (row: SealedRow, reason: string): void => {
    undecodableRecords += 1;
    if (undecodable.length < 100) undecodable.push({ position: row.position, eventId: log.idOf(row), reason });
  };
  /** The row's canonical form as the sealer made it (its raw form when its parsed view cannot be made canonical). */
  const canonicalOf = async (row: SealedRow): Promise<string> => (await canonicalRecord(client, s, log, row)).canonical;
  let lastCheckpoint: VerifyLogResult['lastCheckpoint'];
  const result = (finding?: TamperFinding): VerifyLogResult => ({
    log: log.name,
    intact: finding === undefined,
    verifiedRecords,
    verifiedCheckpoints,
    sealedThrough: sealedThrough.toString(),
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
    unsealedRecords,
    ...(finding ? { finding } : {}),
    undecodable,
    undecodableRecords,
  });
  const signatureValid = (cp: CheckpointRow): boolean =>
    verifyCheckpointSignature(
      publicKey,
      { position: BigInt(cp.position), hash: cp.hash, signedAt: cp.signed_at.toISOString(), keyId: cp.key_id },
      cp.signature,
      log.checkpointType,
    );

  let previous = GENESIS_HASH;
  for (;;) {
    const row = await records.peek();
    const seal = await seals.peek();
    if (!row && !seal) break;
    if (seal && (!row || BigInt(seal.position) < BigInt(row.position))) {
      return result({ kind: `${noun}-deleted`, position: seal.position, detail: `sealed ${noun} ${seal.event_id} is missing` });
    }
    if (row && (!seal || BigInt(row.position) < BigInt(seal.position))) {
      return result({ kind: `${noun}-inserted`, position: row.position, detail: `${noun} ${log.idOf(row)} was never sealed` });
    }
    // Both at the same position.
    const r = (await records.next())!;
    const sealed = (await seals.next())!;
    const id = log.idOf(r);
    if (id !== sealed.event_id) {
      const moved = await client.query<{ position: string }>(`SELECT position FROM ${s}.${log.table} WHERE ${log.idColumn} = $1`, [
        sealed.event_id,
      ]);
      const elsewhere = moved.rows[0]?.position;
      return result(
        elsewhere
          ? { kind: `${noun}-reordered`, position: r.position, detail: `${noun} ${sealed.event_id} sealed here now sits at ${elsewhere}` }
          : { kind: `${noun}-altered`, position: r.position, detail: `${noun} ${sealed.event_id} was replaced by ${id}` },
      );
    }
    const uncheckable = log.uncheckableOf?.(r);
    if (uncheckable !== undefined) report(r, uncheckable);
    const inconsistency = log.inconsistencyOf(r);
    if (inconsistency !== undefined) {
      return result({ kind: `${noun}-altered`, position: r.position, detail: `${noun} ${id}: ${inconsistency}` });
    }
    const canonical = await canonicalRecord(client, s, log, r);
    if (canonical.undecodable) report(r, canonical.undecodable.reason);
    const hash = chainLink(previous, canonical.canonical);
    if (!hash.equals(sealed.hash)) {
      return result(await classifyMismatch(r, hash));
    }
    // Checkpoints up to here: signature first, then agreement with the recomputed chain.
    for (let cp = await checkpoints.peek(); cp && BigInt(cp.position) <= BigInt(r.position); cp = await checkpoints.peek()) {
      await checkpoints.next();
      if (!signatureValid(cp)) {
        return result({
          kind: 'checkpoint-signature-invalid',
          position: cp.position,
          detail: `checkpoint signed ${cp.signed_at.toISOString()} by key ${cp.key_id} does not verify`,
        });
      }
      if (cp.position !== r.position || !cp.hash.equals(hash)) {
        return result({
          kind: 'checkpoint-mismatch',
          position: cp.position,
          detail: 'a validly signed checkpoint disagrees with the chain: history was rewritten after signing',
        });
      }
      verifiedCheckpoints += 1;
      lastCheckpoint = { position: cp.position, signedAt: cp.signed_at.toISOString() };
    }
    previous = hash;
    verifiedRecords += 1;
  }
  // Checkpoints past the last seal: the seals were truncated (or the checkpoint forged).
  const beyond = await checkpoints.next();
  if (beyond) {
    return result(
      signatureValid(beyond)
        ? {
            kind: 'checkpoint-mismatch',
            position: beyond.position,
            detail: `a validly signed checkpoint lies beyond the last seal: seals or ${noun === 'event' ? 'events' : 'entries'} were removed`,
          }
        : { kind: 'checkpoint-signature-invalid', position: beyond.position, detail: `checkpoint by key ${beyond.key_id} does not verify` },
    );
  }
  return result();

  /**
   * Record or seal? If the chain recomputed from the record continues into the next stored seal, the records are
   * intact and this seal was changed; if the next seal follows from the stored one, the record was changed.
   * At the head, a signed checkpoint at this position decides the same way.
   */
  async function classifyMismatch(r: SealedRow, recomputed: Buffer): Promise<TamperFinding> {
    const nextRecord = await records.peek();
    const nextSeal = await seals.peek();
    let sealAltered: boolean;
    if (nextRecord && nextSeal && nextRecord.position === nextSeal.position) {
      sealAltered = chainLink(recomputed, await canonicalOf(nextRecord)).equals(nextSeal.hash);
    } else {
      const cp = await client.query<CheckpointRow>(
        `SELECT position, hash, signed_at, signature, key_id FROM ${s}.log_checkpoints WHERE position = $1`,
        [r.position],
      );
      const row = cp.rows[0];
      sealAltered = row !== undefined && signatureValid(row) && row.hash.equals(recomputed);
    }
    const id = log.idOf(r);
    return sealAltered
      ? { kind: 'seal-altered', position: r.position, detail: `the stored seal of ${noun} ${id} was changed; the ${noun} itself is intact` }
      : { kind: `${noun}-altered`, position: r.position, detail: `${noun} ${id} no longer matches its seal` };
  }
}
