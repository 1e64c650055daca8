export * from './suspects-api.module.js';
export * from './suspect.dto.js';
export * from './suspect.cqrs.js';
