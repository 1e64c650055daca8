/**
 * The light part of the event store (`#event-store/reading`): how its rows are read and mapped, with no TypeORM, no
 * pool and no migrations, for a process that only reads the log, such as a research export's worker threads (ADR
 * 0049), whose start-up would otherwise load all of the event store for these few names.
 */
export * from './postgres/event-rows.js';
export * from './postgres/identifiers.js';
export * from './postgres/positions.js';
