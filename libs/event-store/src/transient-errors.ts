/**
 * Tells a fault that heals (the database restarted, the broker is away, a connection was cut) from a fault of
 * the data (an event that cannot be decoded, decrypted, upcast or applied). Every reader retries the first kind
 * for ever with capped backoff and never dead-letters an event because of it; only the second kind is
 * isolated as a dead letter. One classifier for every reader, so the two never drift apart.
 */

/** PostgreSQL SQLSTATEs (and classes) that a retry can outlive. */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57P', '58'] as const; // connection, resources, operator intervention, system
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']); // serialization, deadlock, lock not available, cancelled

/** Node.js socket errors: the peer is away or the connection broke. */
const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** kafkajs error names that mean "the broker or the network", not "this record". */
const TRANSIENT_KAFKA_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSOffsetOutOfRange',
]);

/**
 * Errors of libraries over a connection that broke: TypeORM refuses a query runner whose connection was released
 * because the server ended it (seen after `pg_terminate_backend` and a restart; ADR 0021).
 */
const TRANSIENT_ERROR_NAMES = new Set(['QueryRunnerProviderAlreadyReleasedError', 'LeadershipLostError']);

/** Messages of drivers that throw plain errors when a connection ends under them. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /connection (?:is )?(?:closed|ended|lost)/i,
  /client has encountered a connection error/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /timeout exceeded when trying to connect/i,
  /connect(?:ion)? timeout/i,
  /socket hang up/i,
];

/**
 * kafkajs' own faults over a broker that went away: `admin.fetchTopicMetadata` reads `topicMetadata` of the cluster's
 * metadata, which is null when the broker's connection dropped during the refresh (a TypeError thrown inside
 * kafkajs; met by the relay in the broker-outage e2e test). Recognised by the message and a stack inside kafkajs.
 */
const KAFKAJS_LOST_METADATA = /^Cannot read properties of (?:null|undefined) \(reading '(?:topicMetadata|brokers)'\)/;
const KAFKAJS_FRAME = /[/\\]node_modules[/\\]kafkajs[/\\]/;

function isKafkaJsLostMetadata(e: { readonly name?: unknown; readonly message?: unknown; readonly stack?: unknown }): boolean {
  if (e.name !== 'TypeError' || typeof e.message !== 'string' || typeof e.stack !== 'string') return false;
  const firstFrame = e.stack.split('\n').find((line) => line.trimStart().startsWith('at '));
  return KAFKAJS_LOST_METADATA.test(e.message) && firstFrame !== undefined && KAFKAJS_FRAME.test(firstFrame);
}

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly message?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly driverError?: unknown;
  readonly errors?: unknown;
}

/**
 * True when `error` (or anything it wraps: `cause`, kafkajs' `originalError`, TypeORM's `driverError`, an
 * AggregateError's `errors`) is a fault of the infrastructure that a later attempt can outlive.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (depth > 8 || error === null || typeof error !== 'object') return false;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    if (TRANSIENT_ERRNOS.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.some((c) => code.startsWith(c))))
      return true;
  }
  const name = typeof e.name === 'string' ? e.name : '';
  if (TRANSIENT_KAFKA_ERRORS.has(name) || TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (name.startsWith('KafkaJS') && e.retriable === true) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (isKafkaJsLostMetadata(error)) return true;
  const nested = [e.cause, e.originalError, e.driverError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return nested.some((inner) => inner !== error && isTransientError(inner, depth + 1));
}
