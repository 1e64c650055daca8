// Caseload (issue 17, item 1: one folder per read model): its tables (columns declared once), its folds, the read
// model the runtime applies and its queries.
export * from './caseload.table.js';
export * from './caseload.fold.js';
export * from './caseload.read-model.js';
export * from './caseload.queries.js';
