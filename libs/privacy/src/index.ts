export * from './erasure.dto.js';
export * from './erasures.controller.js';
export * from './privacy.module.js';
