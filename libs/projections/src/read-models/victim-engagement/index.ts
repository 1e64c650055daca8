// Victim engagement (issue 17, item 1: one folder per read model): its table (columns declared once), its fold,
// the read model the runtime applies, its queries and its tests.
export * from './victim-engagement.table.js';
export * from './victim-engagement.fold.js';
export * from './victim-engagement.read-model.js';
export * from './victim-engagement.queries.js';
