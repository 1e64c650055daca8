export * from './cases-api.module.js';
export * from './case.dto.js';
export * from './case.cqrs.js';
export * from './evidence.dto.js';
