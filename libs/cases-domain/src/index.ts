export * from './case.commands.js';
export type { CpsActionInput } from './cps.commands.js';
export type { CpsActionState, CpsState, CpsSuspectFile } from './cps.state.js';
export { overdueFrom } from './cps-advice.decider.js';
export * from './case.errors.js';
export * from './case.state.js';
export * from './case.decider.js';
export type { ExtractionNotice, ThirdPartyNecessity, DigitalCommand } from './digital.commands.js';
