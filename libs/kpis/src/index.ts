export * from './facts.js';
export * from './aggregate.js';
export * from './report.js';
export * from './suppression.js';
export * from './cohort.js';
export * from './period.js';
export * from './measures.js';
