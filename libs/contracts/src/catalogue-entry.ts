import type { National } from './scope.js';

/** One event type and version in the national catalogue. */
export interface CatalogueEntry {
  readonly type: string;
  readonly context: 'cases' | 'suspects' | 'victims' | 'learning' | 'national' | 'privacy' | 'platform';
  readonly summary: string;
  /** JSON Schema (draft 2020-12) of the event's data. */
  readonly schema: object;
  /** JSON pointers of fields that hold personal data (empty: the event holds none). */
  readonly personalFields: readonly string[];
  readonly example: object;
  /**
   * `national`: the event belongs to a national stream (metadata.force is `national`, published on the national
   * topic). Absent: a force's event (metadata.force is a force code, published on that force's topic).
   */
  readonly scope?: National;
}
