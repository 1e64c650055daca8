import type { KeyObject } from 'node:crypto';
import pg from 'pg';
import { assertIdentifier, recordedEventFromRow, type EventRow as StoredEventRow } from '#event-store';
import { GENESIS_HASH, chainHash } from './chain.js';
import { verifyCheckpointSignature } from './signing.js';

export type TamperKind =
  /** The event at a sealed position no longer hashes to its seal (data, metadata, type, ... changed). */
  | 'event-altered'
  /** A sealed position has no event any more. */
  | 'event-deleted'
  /** An event sits at a position, at or below the last sealed one, that was never sealed. */
  | 'event-inserted'
  /** The event sealed at this position now sits at another one (positions or contents swapped). */
  | 'event-reordered'
  /** The event is intact but its stored seal hash was changed. */
  | 'seal-altered'
  /** A checkpoint's signature does not verify with the public key (or names another key). */
  | 'checkpoint-signature-invalid'
  /** A correctly signed checkpoint disagrees with the chain: events and seals were rewritten after signing. */
  | 'checkpoint-mismatch';

export interface TamperFinding {
  readonly kind: TamperKind;
  /** Log position where the chain first diverges (decimal string: positions are 64-bit). */
  readonly position: string;
  readonly detail: string;
}

export interface VerifyLogOptions {
  readonly connectionString: string;
  readonly schema?: string;
  /** The Ed25519 public key the checkpoints were signed with. */
  readonly publicKey: KeyObject;
  /** Rows per round trip; memory is bounded by this, not by the log's length. */
  readonly batchSize?: number;
}

export interface VerifyLogResult {
  readonly intact: boolean;
  /** Events recomputed and matched against their seals before the first finding (all of them when intact). */
  readonly verifiedEvents: number;
  readonly verifiedCheckpoints: number;
  /** Last sealed position ('0': nothing sealed). */
  readonly sealedThrough: string;
  readonly lastCheckpoint?: { readonly position: string; readonly signedAt: string };
  /** Events committed after the last seal: not yet covered, not a finding. */
  readonly unsealedEvents: number;
  readonly finding?: TamperFinding;
}

/** The store's row, plus the force column (checked against the sealed metadata). */
interface EventRow extends StoredEventRow {
  force: string;
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
 * Recomputes the hash chain from `<schema>.events` and checks it against `log_seals` and the signed
 * `log_checkpoints`, streaming all three in position order (a merge, constant memory) inside one
 * repeatable-read snapshot. Stops at the first divergence and names it.
 */
export async function verifyLog(options: VerifyLogOptions): Promise<VerifyLogResult> {
  const s = assertIdentifier(options.schema ?? 'nom_event_store');
  const batchSize = options.batchSize ?? 1000;
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await verifyInSnapshot(client, s, options.publicKey, batchSize);
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
}

async function verifyInSnapshot(client: pg.Client, s: string, publicKey: KeyObject, batchSize: number): Promise<VerifyLogResult> {
  const head = await client.query<{ position: string | null }>(`SELECT max(position) AS position FROM ${s}.log_seals`);
  const sealedThrough = BigInt(head.rows[0]?.position ?? '0');
  const unsealed = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.events WHERE position > $1`, [sealedThrough.toString()]);
  const unsealedEvents = Number(unsealed.rows[0]?.n ?? 0);

  const events = new Cursor<EventRow>(
    client,
    `SELECT position, event_id, stream_id, revision, type, force, data, metadata, recorded_at FROM ${s}.events
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

  let verifiedEvents = 0;
  let verifiedCheckpoints = 0;
  let lastCheckpoint: VerifyLogResult['lastCheckpoint'];
  const result = (finding?: TamperFinding): VerifyLogResult => ({
    intact: finding === undefined,
    verifiedEvents,
    verifiedCheckpoints,
    sealedThrough: sealedThrough.toString(),
    ...(lastCheckpoint ? { lastCheckpoint } : {}),
    unsealedEvents,
    ...(finding ? { finding } : {}),
  });
  const signatureValid = (cp: CheckpointRow): boolean =>
    verifyCheckpointSignature(
      publicKey,
      { position: BigInt(cp.position), hash: cp.hash, signedAt: cp.signed_at.toISOString(), keyId: cp.key_id },
      cp.signature,
    );

  let previous = GENESIS_HASH;
  for (;;) {
    const event = await events.peek();
    const seal = await seals.peek();
    if (!event && !seal) break;
    if (seal && (!event || BigInt(seal.position) < BigInt(event.position))) {
      return result({ kind: 'event-deleted', position: seal.position, detail: `sealed event ${seal.event_id} is missing` });
    }
    if (event && (!seal || BigInt(event.position) < BigInt(seal.position))) {
      return result({ kind: 'event-inserted', position: event.position, detail: `event ${event.event_id} was never sealed` });
    }
    // Both at the same position.
    const e = (await events.next())!;
    const sealed = (await seals.next())!;
    if (e.event_id !== sealed.event_id) {
      const moved = await client.query<{ position: string }>(`SELECT position FROM ${s}.events WHERE event_id = $1`, [sealed.event_id]);
      const elsewhere = moved.rows[0]?.position;
      return result(
        elsewhere
          ? { kind: 'event-reordered', position: e.position, detail: `event ${sealed.event_id} sealed here now sits at ${elsewhere}` }
          : { kind: 'event-altered', position: e.position, detail: `event ${sealed.event_id} was replaced by ${e.event_id}` },
      );
    }
    // The force column is not in the sealed view; the store writes it from metadata.force, which is.
    if (e.force !== e.metadata.force) {
      return result({ kind: 'event-altered', position: e.position, detail: `event ${e.event_id}: force column ${e.force} differs from its sealed metadata` });
    }
    const hash = chainHash(previous, recordedEventFromRow(e));
    if (!hash.equals(sealed.hash)) {
      return result(await classifyMismatch(e, hash));
    }
    // Checkpoints up to here: signature first, then agreement with the recomputed chain.
    for (let cp = await checkpoints.peek(); cp && BigInt(cp.position) <= BigInt(e.position); cp = await checkpoints.peek()) {
      await checkpoints.next();
      if (!signatureValid(cp)) {
        return result({ kind: 'checkpoint-signature-invalid', position: cp.position, detail: `checkpoint signed ${cp.signed_at.toISOString()} by key ${cp.key_id} does not verify` });
      }
      if (cp.position !== e.position || !cp.hash.equals(hash)) {
        return result({ kind: 'checkpoint-mismatch', position: cp.position, detail: 'a validly signed checkpoint disagrees with the chain: history was rewritten after signing' });
      }
      verifiedCheckpoints += 1;
      lastCheckpoint = { position: cp.position, signedAt: cp.signed_at.toISOString() };
    }
    previous = hash;
    verifiedEvents += 1;
  }
  // Checkpoints past the last seal: the seals were truncated (or the checkpoint forged).
  const beyond = await checkpoints.next();
  if (beyond) {
    return result(
      signatureValid(beyond)
        ? { kind: 'checkpoint-mismatch', position: beyond.position, detail: 'a validly signed checkpoint lies beyond the last seal: seals or events were removed' }
        : { kind: 'checkpoint-signature-invalid', position: beyond.position, detail: `checkpoint by key ${beyond.key_id} does not verify` },
    );
  }
  return result();

  /**
   * Event or seal? If the chain recomputed from the event continues into the next stored seal, the events are
   * intact and this seal was changed; if the next seal follows from the stored one, the event was changed.
   * At the head, a signed checkpoint at this position decides the same way.
   */
  async function classifyMismatch(e: EventRow, recomputed: Buffer): Promise<TamperFinding> {
    const nextEvent = await events.peek();
    const nextSeal = await seals.peek();
    let sealAltered: boolean;
    if (nextEvent && nextSeal && nextEvent.position === nextSeal.position) {
      sealAltered = chainHash(recomputed, recordedEventFromRow(nextEvent)).equals(nextSeal.hash);
    } else {
      const cp = await client.query<CheckpointRow>(
        `SELECT position, hash, signed_at, signature, key_id FROM ${s}.log_checkpoints WHERE position = $1`,
        [e.position],
      );
      const row = cp.rows[0];
      sealAltered = row !== undefined && signatureValid(row) && row.hash.equals(recomputed);
    }
    return sealAltered
      ? { kind: 'seal-altered', position: e.position, detail: `the stored seal of event ${e.event_id} was changed; the event itself is intact` }
      : { kind: 'event-altered', position: e.position, detail: `event ${e.event_id} no longer matches its seal` };
  }
}
