import { createHash } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import { canonicalEvent } from './canonical.js';

/** hash_0: 32 zero bytes, the link before the first event of the log. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** hash_n = SHA-256(hash_{n-1} || UTF-8(canonicalEvent(event_n))). */
export function chainHash(previous: Buffer, event: RecordedEvent): Buffer {
  return createHash('sha256').update(previous).update(canonicalEvent(event), 'utf8').digest();
}
