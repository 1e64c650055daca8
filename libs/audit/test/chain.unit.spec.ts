import { createHash } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import {
  GENESIS_HASH,
  canonicalEvent,
  chainHash,
  exportPublicKeyPem,
  generateAuditSigner,
  keyIdOf,
  publicKeyFromPem,
  signCheckpoint,
  verifyCheckpointSignature,
} from '../src/index.js';

function event(n: number, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`,
    type: 'cases.investigation-opened',
    streamId: `case-${n}`,
    revision: 0n,
    position: BigInt(n) << 20n,
    recordedAt: '2026-11-28T07:00:00.000Z',
    data: { caseId: `c${n}` },
    metadata: { force: 'avon-somerset' } as unknown as RecordedEvent['metadata'],
    ...overrides,
  };
}

function chain(events: readonly RecordedEvent[]): Buffer[] {
  const hashes: Buffer[] = [];
  let previous = GENESIS_HASH;
  for (const e of events) hashes.push((previous = chainHash(previous, e)));
  return hashes;
}

describe('the hash chain', () => {
  const log = [1, 2, 3, 4].map((n) => event(n));

  it('is SHA-256 of the previous hash followed by the canonical event, from 32 zero bytes', () => {
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(canonicalEvent(log[0]!)).digest();
    expect(chainHash(GENESIS_HASH, log[0]!)).toEqual(expected);
    expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
  });

  it('is deterministic', () => {
    expect(chain(log)).toEqual(chain(log.map((e) => ({ ...e }))));
  });

  it.each<[string, Partial<RecordedEvent>]>([
    ['data', { data: { caseId: 'other' } }],
    ['metadata', { metadata: { force: 'wiltshire' } as unknown as RecordedEvent['metadata'] }],
    ['type', { type: 'cases.other' }],
    ['stream', { streamId: 'case-x' }],
    ['revision', { revision: 1n }],
    ['position', { position: 7n }],
    ['event id', { id: '00000000-0000-4000-8000-999999999999' }],
    ['recorded-at', { recordedAt: '2026-11-28T07:00:00.001Z' }],
  ])('changes from the altered event onwards when its %s changes, and not before', (_field, change) => {
    const altered = log.map((e, i) => (i === 1 ? { ...e, ...change } : e));
    const [a, b] = [chain(log), chain(altered)];
    expect(b[0]).toEqual(a[0]);
    for (const i of [1, 2, 3]) expect(b[i]).not.toEqual(a[i]);
  });

  it('depends on order: swapping two events changes every later link', () => {
    const swapped = [log[0]!, log[2]!, log[1]!, log[3]!];
    expect(chain(swapped)[3]).not.toEqual(chain(log)[3]);
  });
});

describe('signed checkpoints', () => {
  const signer = generateAuditSigner();
  const claim = { position: 42n, hash: Buffer.alloc(32, 7), signedAt: '2026-11-28T07:00:00.000Z' };

  it('verify with the exported public key, and fail when any field or the key changes', () => {
    const signature = signCheckpoint(signer, claim);
    const publicKey = publicKeyFromPem(exportPublicKeyPem(signer));
    expect(keyIdOf(publicKey)).toBe(signer.keyId);
    expect(verifyCheckpointSignature(publicKey, { ...claim, keyId: signer.keyId }, signature)).toBe(true);
    expect(verifyCheckpointSignature(publicKey, { ...claim, keyId: signer.keyId, position: 43n }, signature)).toBe(false);
    expect(verifyCheckpointSignature(publicKey, { ...claim, keyId: signer.keyId, hash: Buffer.alloc(32, 8) }, signature)).toBe(false);
    expect(verifyCheckpointSignature(publicKey, { ...claim, keyId: signer.keyId, signedAt: '2026-11-28T07:00:00.001Z' }, signature)).toBe(
      false,
    );
    const other = generateAuditSigner();
    expect(verifyCheckpointSignature(other.publicKey, { ...claim, keyId: other.keyId }, signature)).toBe(false);
  });
});
