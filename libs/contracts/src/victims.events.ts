import type { CatalogueEntry } from './catalogue-entry.js';

/** The victims context's event catalogue entries (filled in by the victims work of issue 3). */
export const VICTIM_EVENTS: readonly CatalogueEntry[] = [];
