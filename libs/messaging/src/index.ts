export * from './message-bus.port.js';
export * from './kafka-message-bus.js';
export * from './in-process-message-bus.js';
export * from './relay.js';
export * from './kafka-security.js';
export * from './topic-policy.js';
export * from './read-topic.js';
export * from './kafka-connection.js';
