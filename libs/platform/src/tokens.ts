/** Dependency-injection tokens of the infrastructure ports. */
export const EVENT_STORE = Symbol('EventStore');
export const MESSAGE_BUS = Symbol('MessageBus');
/**
 * The relay's and the projector's buses: MESSAGE_BUS unless the process runs them as principals of their own
 * (InfrastructureOptions.kafkaPrincipals: the end-to-end tests run both beside the APIs in one process).
 */
export const RELAY_BUS = Symbol('RelayBus');
export const PROJECTOR_BUS = Symbol('ProjectorBus');
export const BACKBONE_CONFIG = Symbol('BackboneConfig');
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
/** The log as stored (personal fields encrypted), upcast: for the relay and anything that must never decrypt. */
export const LOG_STORE = Symbol('LogStore');
export const SUBJECT_KEY_STORE = Symbol('SubjectKeyStore');
export const ACCESS_LOG = Symbol('AccessLog');
/** The background loops of the process and their states (readiness, ADR 0021). */
export const LOOPS = Symbol('LoopRegistry');
/** An optional `HealthIndicator` of the app (the sealer's anchor): /health answers 503 while it reports a problem. */
export const HEALTH_INDICATOR = Symbol('HealthIndicator');

/**
 * The broker a process's Kafka loops need (the relay's, the projector's): readiness pings it (ADR 0037), so that a
 * relay with nothing to publish still says it cannot reach Kafka. Provided and exported by the module that runs them.
 */
export const BROKER_READINESS = Symbol('BrokerReadiness');
export interface BrokerReadiness {
  /** Resolves once the broker answers (a metadata request); rejects otherwise. */
  ping(signal: AbortSignal): Promise<void>;
}
