// The learning context's pure domain: officer development (pillar 4) and the operating model's versions.
export * from './officer-development.commands.js';
export * from './officer-development.errors.js';
export * from './officer-development.state.js';
export * from './officer-development.decider.js';
export { SUPERVISORY_REVIEW_CYCLE_DAYS } from './officer-supervision.decider.js';
export * from './model-version.js';
export * from './operating-model.commands.js';
export * from './operating-model.errors.js';
export * from './national-model.state.js';
export * from './national-model.decider.js';
export * from './force-adoption.decider.js';
export * from './force-onboarding.decider.js';
// The model's streams are named in #contracts, where the command path resolves the model in force (ADR 0043).
export { forceModelStreamId, NATIONAL_MODEL_STREAM_ID } from '#contracts';
