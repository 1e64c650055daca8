// The victims context's pure domain (issue 3, pillar 3): decider, update-duty timers.
export * from './victim.commands.js';
export * from './victim.errors.js';
export * from './victim.state.js';
export * from './evidence.state.js';
export * from './victim.decider.js';
export * from './update-deadline.js';
