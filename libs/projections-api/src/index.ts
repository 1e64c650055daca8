// The projector's HTTP surface (issue 17, item 3): moved out of libs/platform, which is only the platform.
export * from './projector.service.js';
export * from './projections.controller.js';
export * from './national-projections.controller.js';
export * from './onboarding.dto.js';
export * from './projection-metrics.js';
export * from './projection-metrics.service.js';
export * from './projector.module.js';
