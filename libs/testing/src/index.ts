export * from './wait-for.js';
export * from './unique.js';
export * from './given-when-then.js';
export * from './events.js';
export * from './recorded-events.js';
export * from './kafka.js';
export * from './garbled-events.js';
export * from './fuzz.js';
