export * from './audit-api.module.js';
export * from './access-log.controller.js';
export * from './audit-sealing.js';
export * from './checkpoints.controller.js';
export * from './audit-state.js';
