export * from './processed-event.entity.js';
export * from './migrations.js';
export * from './builds.js';
export * from './force-projector.js';
export * from './read-model.js';
export * from './read-models/index.js';
export * from './projector-read-models.js';
export * from './national-projector.js';
