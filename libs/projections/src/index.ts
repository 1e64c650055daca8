export * from './cases/case-summary.entity.js';
export * from './cases/case-summary.projection.js';
export * from './processed-event.entity.js';
export * from './migrations.js';
export * from './force-projector.js';
export * from './read-model.js';
export * from './read-models/index.js';
