import type { CatalogueEntry } from './catalogue-entry.js';

/** The learning context's event catalogue entries (filled in by the learning work of issue 3). */
export const LEARNING_EVENTS: readonly CatalogueEntry[] = [];
