import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import type { SealedLog } from './sealed-log.js';
import { verifyCheckpointSignature } from './signing.js';

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

/**
 * Checkpoints kept outside the database (ADR 0023): a force's copies of what the sealer published on
 * `nom.audit.checkpoints` or at `GET /national/audit/checkpoints`. The database is checked against them, so a
 * rewrite that the database alone cannot show (the tail truncated with its seals and checkpoints, a chain re-signed)
 * is named.
 */
export interface WitnessOptions {
  /** The kept checkpoints (of any log: those of other logs are ignored). */
  readonly checkpoints: readonly PublishedCheckpoint[];
  /** Fail when a record has waited behind the newest signed checkpoint for longer than this. */
  readonly maxHeadAgeMs?: number;
  /** The verifier's clock (tests inject one). */
  readonly now?: () => Date;
}

export type WitnessFindingKind =
  /** A kept checkpoint does not verify with the public key: the copy is not evidence. */
  | 'witness-signature-invalid'
  /** The database's sealed head lies below a kept checkpoint: the log went backwards. Position: the database's head. */
  | 'witness-regressed'
  /** The database sealed past a kept checkpoint's position without a seal there. Position: its last seal below it. */
  | 'witness-missing'
  /** The database's seal at a kept checkpoint's position has another hash. Position: that checkpoint's. */
  | 'witness-mismatch'
  /** The seal matches a kept checkpoint, but the database's checkpoint there was deleted. */
  | 'witness-checkpoint-deleted'
  /** Records have waited behind the newest signed checkpoint for longer than the maximum age. */
  | 'head-stale';

export interface WitnessFinding {
  readonly kind: WitnessFindingKind;
  readonly position: string;
  readonly detail: string;
}

export function verifyPublishedCheckpoint(publicKey: KeyObject, log: SealedLog, checkpoint: PublishedCheckpoint): boolean {
  const { type, position, hash, signedAt, keyId } = checkpoint;
  if (type !== log.checkpointType || !/^\d{1,19}$/.test(position) || !/^[0-9a-f]{64}$/.test(hash)) return false;
  return verifyCheckpointSignature(
    publicKey,
    { position: BigInt(position), hash: Buffer.from(hash, 'hex'), signedAt, keyId },
    Buffer.from(checkpoint.signature, 'hex'),
    log.checkpointType,
  );
}

const FIELDS = ['log', 'type', 'position', 'hash', 'signedAt', 'keyId', 'signature'] as const;

function asCheckpoint(value: unknown, where: string): PublishedCheckpoint {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: not a checkpoint object`);
  const record = value as Record<string, unknown>;
  for (const field of FIELDS) {
    if (typeof record[field] !== 'string') throw new Error(`${where}: field ${field} must be a string`);
  }
  return Object.fromEntries(FIELDS.map((field) => [field, record[field]])) as unknown as PublishedCheckpoint;
}

/**
 * Kept checkpoints from a file: a JSON array, the answer of `GET /national/audit/checkpoints` (`{checkpoints}`),
 * or JSON Lines (one message value of the topic a line).
 */
export function parseWitness(text: string): PublishedCheckpoint[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[') || trimmed.startsWith('{"checkpoints"')) {
    const parsed = JSON.parse(trimmed) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { checkpoints?: unknown }).checkpoints;
    if (!Array.isArray(list)) throw new Error('witness: expected an array of checkpoints');
    return list.map((value, i) => asCheckpoint(value, `witness item ${i + 1}`));
  }
  return trimmed
    .split('\n')
    .flatMap((line, i) => (line.trim() === '' ? [] : [asCheckpoint(JSON.parse(line) as unknown, `witness line ${i + 1}`)]));
}

export interface WitnessState {
  /** The database's last sealed position. */
  readonly sealedThrough: bigint;
  /** The database's newest signed checkpoint, already verified against the chain. */
  readonly lastCheckpoint?: { readonly position: string; readonly signedAt: string };
}

/**
 * Checks one log's seal tables (in the caller's snapshot, after the chain itself verified) against kept
 * checkpoints, oldest first; the first disagreement is the finding.
 */
export async function checkWitness(
  client: pg.ClientBase,
  schema: string,
  log: SealedLog,
  publicKey: KeyObject,
  witness: WitnessOptions,
  state: WitnessState,
): Promise<{ witnessed: number; finding?: WitnessFinding }> {
  const kept = witness.checkpoints.filter((c) => c.log === log.name).sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  let witnessed = 0;
  let lastMatched = '0';
  const found = (kind: WitnessFindingKind, position: string, detail: string): { witnessed: number; finding: WitnessFinding } => ({
    witnessed,
    finding: { kind, position, detail },
  });
  for (const cp of kept) {
    if (!verifyPublishedCheckpoint(publicKey, log, cp)) {
      return found('witness-signature-invalid', cp.position, `kept checkpoint signed ${cp.signedAt} by key ${cp.keyId} does not verify`);
    }
    const q = BigInt(cp.position);
    if (state.sealedThrough < q) {
      const head = state.sealedThrough.toString();
      return found(
        'witness-regressed',
        head,
        `the database is sealed only through ${head}, but a checkpoint signed ${cp.signedAt} covers ${cp.position}: ` +
          `what followed ${head} was removed`,
      );
    }
    const seal = await client.query<{ hash: Buffer }>(`SELECT hash FROM ${schema}.log_seals WHERE position = $1`, [cp.position]);
    const stored = seal.rows[0];
    if (!stored) {
      const below = await client.query<{ position: string | null }>(
        `SELECT max(position) AS position FROM ${schema}.log_seals WHERE position < $1`,
        [cp.position],
      );
      const p = below.rows[0]?.position ?? '0';
      return found(
        'witness-missing',
        p,
        `the checkpoint signed ${cp.signedAt} at ${cp.position} has no seal in the database, whose chain goes on from ${p}: ` +
          `the records after ${p} were removed or replaced`,
      );
    }
    if (stored.hash.toString('hex') !== cp.hash) {
      const detail =
        `the database's chain at ${cp.position} differs from the checkpoint signed ${cp.signedAt}: ` + `rewritten after ${lastMatched}`;
      return found('witness-mismatch', cp.position, detail);
    }
    const own = await client.query(`SELECT 1 FROM ${schema}.log_checkpoints WHERE position = $1`, [cp.position]);
    if (own.rowCount === 0) {
      const detail = `the database's checkpoint signed ${cp.signedAt} at ${cp.position} was deleted`;
      return found('witness-checkpoint-deleted', cp.position, detail);
    }
    witnessed += 1;
    lastMatched = cp.position;
  }
  if (witness.maxHeadAgeMs !== undefined) {
    const now = (witness.now ?? (() => new Date()))();
    const head = state.lastCheckpoint?.position ?? '0';
    const waiting = await client.query<{ oldest: Date | null }>(
      `SELECT min(${log.recordedColumn}) AS oldest FROM ${schema}.${log.table} WHERE position > $1`,
      [head],
    );
    const oldest = waiting.rows[0]?.oldest;
    if (oldest && now.getTime() - oldest.getTime() > witness.maxHeadAgeMs) {
      const signed = state.lastCheckpoint ? `signed ${state.lastCheckpoint.signedAt}` : 'none';
      return found(
        'head-stale',
        head,
        `a record written ${oldest.toISOString()} is not covered by the newest signed checkpoint (${signed}) ` +
          `after more than ${witness.maxHeadAgeMs} ms`,
      );
    }
  }
  return { witnessed };
}
