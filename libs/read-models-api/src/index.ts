export * from './read-models-api.module.js';
export * from './read-model-database.js';
export * from './force-read-models.queries.js';
export * from './filters.js';
export * from './views.dto.js';
