/** One event type and version in the national catalogue. */
export interface CatalogueEntry {
  readonly type: string;
  readonly context: 'cases' | 'suspects' | 'victims' | 'learning';
  readonly summary: string;
  /** JSON Schema (draft 2020-12) of the event's data. */
  readonly schema: object;
  /** JSON pointers of fields that hold personal data (empty: the event holds none). */
  readonly personalFields: readonly string[];
  readonly example: object;
}
