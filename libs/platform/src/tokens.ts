/** Dependency-injection tokens of the infrastructure ports. */
export const EVENT_STORE = Symbol('EventStore');
export const MESSAGE_BUS = Symbol('MessageBus');
export const BACKBONE_CONFIG = Symbol('BackboneConfig');
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
