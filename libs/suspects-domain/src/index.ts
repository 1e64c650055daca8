export * from './suspect.commands.js';
export * from './suspect.errors.js';
export * from './suspect.state.js';
export * from './suspect.decider.js';
export * from './bail.rules.js';
export { CIVIL_ORDER_MINIMUM_YEARS } from './disruption.decider.js';
// The victims context reacts to suspect events through the contracts; re-exported here for convenience.
export { victimUpdateTrigger, type VictimUpdateTrigger } from '#contracts';
