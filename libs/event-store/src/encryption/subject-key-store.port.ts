/** A data subject's key as a reader or writer finds it. Key id = subject id = the stream id (ADR 0011). */
export type SubjectKey = { readonly state: 'active'; readonly key: Buffer } | { readonly state: 'erased' };

export interface ErasureRecord {
  /** Who erased (officer id of the administrator). */
  readonly erasedBy: string;
  readonly reason: string;
  readonly reference?: string | undefined;
  readonly force: string;
}

export interface Tombstone extends ErasureRecord {
  readonly subjectId: string;
  readonly erasedAt: string;
}

/**
 * The key store. No cache outlives a call: every read batch asks it again, so an erasure takes effect for
 * the very next read of every process.
 */
export interface SubjectKeyStore {
  /**
   * Keys to encrypt with: created on first use (race-safe: the first writer's key wins). An erased subject
   * comes back `erased` and gets no new key.
   */
  keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>>;
  /** Keys to decrypt with, one round trip for all; a subject that never had a key is absent. */
  keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>>;
  /**
   * Destroys the subjects' keys and records a tombstone each (in one transaction). Returns the tombstones,
   * the first one's record for a subject erased before (erasure is idempotent).
   */
  erase(subjectIds: readonly string[], record: ErasureRecord): Promise<readonly Tombstone[]>;
  close(): Promise<void>;
}

/** New personal data for a subject whose data was erased: refused (it would bring the subject back). */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';
  constructor(readonly subjectId: string) {
    super(`the personal data of ${subjectId} was erased; no new personal data is recorded for it`);
  }
}
