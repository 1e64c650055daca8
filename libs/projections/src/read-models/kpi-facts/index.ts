// KPI facts (issue 17, item 1: one folder per read model): their tables (columns declared once, checked against the
// facts of #kpis), their keyed folds, the force and national read models the runtime applies and their queries.
export * from './kpi-facts.table.js';
export * from './kpi-facts.fold.js';
export * from './kpi-facts.read-model.js';
export * from './kpi-facts.queries.js';
