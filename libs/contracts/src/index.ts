export * from './envelope.js';
export * from './forces.js';
export * from './outcome-codes.js';
export * from './cases.events.js';
export * from './catalogue.js';
export * from './validation.js';
export * from './cloudevents.js';
export * from './topics.js';
