export * from './learning-api.module.js';
export * from './officer.dto.js';
export * from './officer.cqrs.js';
export * from './operating-model.dto.js';
export * from './operating-model.cqrs.js';
export * from './model-actor.js';
