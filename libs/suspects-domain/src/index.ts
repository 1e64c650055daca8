export * from './suspect.commands.js';
export * from './suspect.errors.js';
export * from './suspect.state.js';
export * from './court.commands.js';
export * from './court.state.js';
export * from './suspect.decider.js';
export * from './bail.rules.js';
export { CIVIL_ORDER_MINIMUM_YEARS, DISRUPTION_TACTIC_MINIMUM_RANK } from './disruption.decider.js';
export { isCourtOrder } from './repeat-suspect-disruption.decider.js';
// The victims context reacts to suspect events through the contracts; re-exported here for convenience.
export { victimUpdateTrigger, type VictimUpdateTrigger } from '#contracts';
