import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson } from './canonical.js';

/** The key that signs checkpoints (Ed25519). Custody: an environment secret today, a KMS/HSM later (ADR 0009). */
export interface AuditSigner {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in each checkpoint. */
  readonly keyId: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** A key given as PEM text or as the path of a PEM file (environment variables accept both). */
export function pemFrom(source: string): string {
  return source.includes('-----BEGIN') ? source : readFileSync(source, 'utf8');
}

/** A new Ed25519 signer (tests, first deployment). */
export function generateAuditSigner(): AuditSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A signer from a PKCS#8 PEM private key. */
export function auditSignerFromPem(privateKeyPem: string): AuditSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be Ed25519');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** The public key as SPKI PEM, for forces and verifiers to keep. */
export function exportPublicKeyPem(key: AuditSigner | KeyObject): string {
  const publicKey = 'keyId' in key ? key.publicKey : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the audit public key must be Ed25519');
  return key;
}

/** What a checkpoint asserts: the chain hash after the event at `position`, at `signedAt`, under `keyId`. */
export interface CheckpointClaim {
  readonly position: bigint;
  readonly hash: Buffer;
  /** ISO-8601 UTC, milliseconds. */
  readonly signedAt: string;
  readonly keyId: string;
}

/** The type tag of each sealed log's checkpoints: a signature over one log's head never verifies for another. */
export const EVENT_LOG_CHECKPOINT = 'nom.event-log.checkpoint.v1';
export const ACCESS_LOG_CHECKPOINT = 'nom.access-log.checkpoint.v1';
export type CheckpointType = typeof EVENT_LOG_CHECKPOINT | typeof ACCESS_LOG_CHECKPOINT;

/** The signed bytes: canonical JSON of the claim, with a type tag so a signature cannot be replayed elsewhere. */
export function checkpointPayload(claim: CheckpointClaim, type: CheckpointType = EVENT_LOG_CHECKPOINT): Buffer {
  return Buffer.from(
    canonicalJson({
      type,
      position: claim.position.toString(),
      hash: claim.hash.toString('hex'),
      signedAt: claim.signedAt,
      keyId: claim.keyId,
    }),
    'utf8',
  );
}

export function signCheckpoint(
  signer: AuditSigner,
  claim: Omit<CheckpointClaim, 'keyId'>,
  type: CheckpointType = EVENT_LOG_CHECKPOINT,
): Buffer {
  return sign(null, checkpointPayload({ ...claim, keyId: signer.keyId }, type), signer.privateKey);
}

export function verifyCheckpointSignature(
  publicKey: KeyObject,
  claim: CheckpointClaim,
  signature: Buffer,
  type: CheckpointType = EVENT_LOG_CHECKPOINT,
): boolean {
  if (claim.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, checkpointPayload(claim, type), publicKey, signature);
  } catch {
    return false;
  }
}
