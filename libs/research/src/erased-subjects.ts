import { createHash } from 'node:crypto';
import type pg from 'pg';
import { PrivacyEventTypes } from '#contracts';
import { assertIdentifier } from '#event-store/reading';

/**
 * Which data subjects (victims, suspects, officers, cases: by their ids) have been erased. An export leaves out
 * every event about an erased subject: its stream's events and any event naming it in an id field.
 */
export interface ErasedSubjects {
  /** The subset of `subjectIds` that are erased. */
  isErased(subjectIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** True when nobody is erased: the export then skips the look-ups. */
  isEmpty(): boolean;
  /** Identifies the erased set: a resumed export must see the same set as the run it continues. */
  digest(): string;
}

/** A fixed set (loaded once before an export run; erasures are rare, so the set is small). */
export class ErasedSubjectSet implements ErasedSubjects {
  private readonly ids: ReadonlySet<string>;

  constructor(ids: Iterable<string>) {
    this.ids = new Set(ids);
  }

  get size(): number {
    return this.ids.size;
  }

  isEmpty(): boolean {
    return this.ids.size === 0;
  }

  /** The erased ids (to hand the set to an export's worker threads). */
  subjectIds(): string[] {
    return [...this.ids];
  }

  isErased(subjectIds: readonly string[]): Promise<ReadonlySet<string>> {
    const found = new Set<string>();
    if (this.ids.size > 0) for (const id of subjectIds) if (this.ids.has(id)) found.add(id);
    return Promise.resolve(found);
  }

  digest(): string {
    return createHash('sha256')
      .update([...this.ids].sort().join('\n'))
      .digest('hex');
  }
}

/**
 * Reads the erased subjects from the event store: every `subject-erased` event's `subjectId` and the stream ids
 * whose keys it destroyed, whatever the position (an erasure recorded after the exported window, or after the
 * export's upper position, still removes the subject from the export).
 */
export async function loadErasedSubjects(pool: pg.Pool, eventStoreSchema: string): Promise<ErasedSubjectSet> {
  const schema = assertIdentifier(eventStoreSchema);
  const { rows } = await pool.query<{ subject_id: string | null }>(
    `SELECT data->>'subjectId' AS subject_id FROM ${schema}.events WHERE type = $1
     UNION
     SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(data->'keysDestroyed') = 'array' THEN data->'keysDestroyed' ELSE '[]'::jsonb END)
       FROM ${schema}.events WHERE type = $1`,
    [PrivacyEventTypes.SubjectErased],
  );
  return new ErasedSubjectSet(rows.map((r) => r.subject_id).filter((id): id is string => typeof id === 'string' && id !== ''));
}
