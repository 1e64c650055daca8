export * from './random.js';
export * from './plan.js';
export * from './run-simulation.js';
export * from './identifier-variation.js';
export * from './shapes.js';
export * from './step.js';
