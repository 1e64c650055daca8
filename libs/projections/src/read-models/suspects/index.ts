// Suspects (issue 17, item 1: one folder per read model): its table (columns declared once), its fold, the read
// model the runtime applies, its queries and its tests.
export * from './suspects.table.js';
export * from './suspects.fold.js';
export * from './suspects.read-model.js';
export * from './suspects.queries.js';
