// Investigations (issue 17, item 1: one folder per read model): its tables (columns declared once), its fold,
// the read model the runtime applies, its queries and its tests.
export * from './investigations.table.js';
export * from './investigations.fold.js';
export * from './investigations.read-model.js';
export * from './investigations.queries.js';
export * from './case-summaries.queries.js';
