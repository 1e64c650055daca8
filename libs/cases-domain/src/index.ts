export * from './case.commands.js';
export * from './case.errors.js';
export * from './case.state.js';
export * from './case.decider.js';
