import { newDataKey } from './field-cipher.js';
import type { ErasureRecord, SubjectKey, SubjectKeyStore, Tombstone } from './subject-key-store.port.js';

/** In-memory key store for unit tests and the in-memory event store. */
export class InMemorySubjectKeyStore implements SubjectKeyStore {
  private readonly keys = new Map<string, Buffer>();
  private readonly tombstones = new Map<string, Tombstone>();

  private lookup(subjectIds: readonly string[]): Map<string, SubjectKey> {
    const result = new Map<string, SubjectKey>();
    for (const id of subjectIds) {
      const key = this.keys.get(id);
      if (this.tombstones.has(id)) result.set(id, { state: 'erased' });
      else if (key) result.set(id, { state: 'active', key });
    }
    return result;
  }

  keysForReading(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>> {
    return Promise.resolve(this.lookup(subjectIds));
  }

  keysForWriting(subjectIds: readonly string[]): Promise<ReadonlyMap<string, SubjectKey>> {
    for (const id of subjectIds) if (!this.tombstones.has(id) && !this.keys.has(id)) this.keys.set(id, newDataKey());
    return Promise.resolve(this.lookup(subjectIds));
  }

  erase(subjectIds: readonly string[], record: ErasureRecord): Promise<readonly Tombstone[]> {
    for (const id of subjectIds) {
      if (!this.tombstones.has(id)) this.tombstones.set(id, { subjectId: id, erasedAt: new Date().toISOString(), ...record });
      this.keys.delete(id);
    }
    return Promise.resolve(subjectIds.map((id) => this.tombstones.get(id)!));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
