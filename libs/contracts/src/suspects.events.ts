import type { CatalogueEntry } from './catalogue-entry.js';

/** The suspects context's event catalogue entries (filled in by the suspects work of issue 3). */
export const SUSPECT_EVENTS: readonly CatalogueEntry[] = [];
