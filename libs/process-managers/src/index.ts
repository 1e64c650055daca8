export * from './victim-updates.policy.js';
export * from './victim-updates.process-manager.js';
export * from './migrations.js';
export * from './review-timers.js';
export * from './supervisory-reviews.process-manager.js';
export * from './process-manager.module.js';
