import { createHash, createHmac, hkdfSync, type Hash } from 'node:crypto';

/** The national research secret (config `NOM_RESEARCH_KEY`, base64 of at least 32 random bytes). */
export function parseResearchSecret(base64: string | undefined): Buffer {
  if (!base64 || base64.trim() === '') throw new Error('NOM_RESEARCH_KEY is required: base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`)');
  const secret = Buffer.from(base64.trim(), 'base64');
  if (secret.length < 32) throw new Error(`NOM_RESEARCH_KEY must decode to at least 32 bytes, got ${secret.length}`);
  return secret;
}

const STUDY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertStudyId(studyId: string): string {
  if (!STUDY_ID.test(studyId)) throw new Error(`study id must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(studyId)}`);
  return studyId;
}

/**
 * The study key: HKDF-SHA-256 of the national research secret, salted with a fixed label and bound to the study
 * id. Pseudonyms made with it are stable within one study and unrelated across studies; the key itself is never
 * written anywhere (manifest, checkpoint, disclosure log).
 */
export function deriveStudyKey(secret: Buffer, studyId: string): Buffer {
  assertStudyId(studyId);
  return Buffer.from(hkdfSync('sha256', secret, 'uk.police.nom.research.v1', `study:${studyId}`, 32));
}

/**
 * Keyed pseudonyms: HMAC-SHA-256(study key, id), the first 132 bits in base64url (22 characters). Without the
 * study key a pseudonym cannot be linked back to the id, nor to the same id's pseudonym in another study.
 * The HMAC pads are precomputed once and the most recent pseudonyms are cached (ids repeat a lot in a log: a
 * case id appears in every event of its case).
 */
export class Pseudonymiser {
  private readonly inner: Hash;
  private readonly outer: Hash;
  private cache = new Map<string, string>();
  private previous = new Map<string, string>();

  constructor(
    key: Buffer,
    private readonly cacheSize = 50_000,
  ) {
    const block = Buffer.alloc(64);
    key.copy(block);
    const ipad = Buffer.from(block.map((b) => b ^ 0x36));
    const opad = Buffer.from(block.map((b) => b ^ 0x5c));
    this.inner = createHash('sha256').update(ipad);
    this.outer = createHash('sha256').update(opad);
  }

  pseudonym(id: string): string {
    const hit = this.cache.get(id) ?? this.previous.get(id);
    if (hit !== undefined) return hit;
    const digest = this.outer.copy().update(this.inner.copy().update(id, 'utf8').digest()).digest('base64url').slice(0, 22);
    // Two generations: a bounded cache without per-entry bookkeeping (memory stays flat whatever the log's size).
    if (this.cache.size >= this.cacheSize) {
      this.previous = this.cache;
      this.cache = new Map();
    }
    this.cache.set(id, digest);
    return digest;
  }
}

/** A reference HMAC (same construction, no cache) for tests and for the key check written in checkpoints. */
export function hmacPseudonym(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('base64url').slice(0, 22);
}
