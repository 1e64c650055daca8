import { createHmac, hash, hkdfSync } from 'node:crypto';

/** The national research secret (config `NOM_RESEARCH_KEY`, base64 of at least 32 random bytes). */
export function parseResearchSecret(base64: string | undefined): Buffer {
  if (!base64 || base64.trim() === '')
    throw new Error('NOM_RESEARCH_KEY is required: base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`)');
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
 * HMAC is computed from its definition, H((K ^ opad) || H((K ^ ipad) || id)), with the padded keys written once
 * into reused buffers (and views of them made once per id length) and one-shot hashes (no Hmac object nor Buffer per
 * id: the export's hottest path), and the most
 * recent pseudonyms are cached (ids repeat: a case id appears in every event of its case).
 */
/** Keyed pseudonyms of one study. */
export interface Pseudonyms {
  /** An id that recurs across events (stream, subject, officer): may be cached. */
  pseudonym(id: string): string;
  /** An id met once or in neighbouring events only (event, correlation and causation ids). */
  transient(id: string): string;
}

export class Pseudonymiser implements Pseudonyms {
  private readonly inner = Buffer.alloc(64 + 1024);
  private readonly outer = Buffer.alloc(64 + 32);
  private readonly views = new Array<Buffer | undefined>(1024 + 1);
  private cache = new Map<string, string>();
  private previous = new Map<string, string>();
  private lastId: string | undefined;
  private lastDigest = '';
  private priorId: string | undefined;
  private priorDigest = '';

  constructor(
    private readonly key: Buffer,
    private readonly cacheSize = 10_000,
  ) {
    if (key.length > 64) throw new Error('a study key is at most 64 bytes');
    for (let i = 0; i < 64; i++) {
      this.inner[i] = (key[i] ?? 0) ^ 0x36;
      this.outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
  }

  /** The pseudonym of an id that recurs (a stream, a case, a victim, an officer): cached. */
  pseudonym(id: string): string {
    const hit = this.cache.get(id) ?? this.previous.get(id);
    if (hit !== undefined) return hit;
    const digest = this.compute(id);
    // Two generations: a bounded cache without per-entry bookkeeping (memory stays flat whatever the log's size).
    if (this.cache.size >= this.cacheSize) {
      this.previous = this.cache;
      this.cache = new Map();
    }
    this.cache.set(id, digest);
    return digest;
  }

  /**
   * The pseudonym of an id met once or in a run of neighbouring events (an event id; a correlation or causation
   * id, shared by the few events of one command): remembered only until the next such id, never cached. Caching
   * them would keep a million short-lived strings alive long enough to be promoted, and garbage collection of the
   * old generation would cost more than the hashing it saves.
   */
  transient(id: string): string {
    if (id === this.lastId) return this.lastDigest;
    if (id === this.priorId) return this.priorDigest;
    this.priorId = this.lastId;
    this.priorDigest = this.lastDigest;
    this.lastId = id;
    this.lastDigest = this.compute(id);
    return this.lastDigest;
  }

  private compute(id: string): string {
    if (id.length > 256) return hmacPseudonym(this.key, id);
    const n = this.inner.write(id, 64, 'utf8');
    // A view of the padded key and the id, one per length, made once: a Buffer per call costs more than the hash.
    const view = (this.views[n] ??= this.inner.subarray(0, 64 + n));
    // The inner digest as a 'binary' (latin1) string, one char per byte, costs less than a Buffer; written back as bytes.
    this.outer.write(hash('sha256', view, 'binary'), 64, 'binary');
    return hash('sha256', this.outer, 'base64url').slice(0, 22);
  }
}

/** A reference HMAC (same construction, no cache) for tests and for the key check written in checkpoints. */
export function hmacPseudonym(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('base64url').slice(0, 22);
}
