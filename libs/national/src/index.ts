export * from './identifier-keys.js';
export * from './migrations.js';
export * from './national-views.js';
export * from './conformance.js';
export * from './matching-measure.js';
export * from './national.module.js';
