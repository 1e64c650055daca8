export * from './erasure.dto.js';
export * from './erasures.controller.js';
export * from './privacy.module.js';
export * from './subscription-status.controller.js';
export * from './subscription-status.dto.js';
