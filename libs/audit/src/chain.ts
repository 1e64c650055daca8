import { createHash } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import { canonicalEvent } from './canonical.js';

/** hash_0: 32 zero bytes, the link before the first record of a log. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** One link of any sealed log: hash_n = SHA-256(hash_{n-1} || UTF-8(canonical JSON of record_n)). */
export function chainLink(previous: Buffer, canonicalRecord: string): Buffer {
  return createHash('sha256').update(previous).update(canonicalRecord, 'utf8').digest();
}

/** The event log's link: hash_n = SHA-256(hash_{n-1} || UTF-8(canonicalEvent(event_n))). */
export function chainHash(previous: Buffer, event: RecordedEvent): Buffer {
  return chainLink(previous, canonicalEvent(event));
}
