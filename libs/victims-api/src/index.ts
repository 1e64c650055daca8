export * from './victims-api.module.js';
export * from './victim.dto.js';
export * from './victim.cqrs.js';
