import type { RecordedEvent } from './envelope.js';
import { dataSchemaUri } from './catalogue.js';
import { NATIONAL } from './scope.js';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the record value is the event's JSON data,
 * attributes travel as `ce_*` headers, the record key is the stream id (so one stream keeps its order on one
 * partition). A consumer with a plain Kafka client and a JSON parser can use every event.
 *
 * Extension attributes (lower-case alphanumerics, as the spec requires):
 *   nomforce, nomstreamrevision, nomposition, nomcorrelationid, nomcausationid, nomactor,
 *   nommodelversion, nomclassification, nomoccurredat.
 * Distributed tracing extension (when the event carries a trace, ADR 0039): traceparent, tracestate.
 */
export interface KafkaRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export const CE_SOURCE_PREFIX = '/uk/police/nom/forces/';
/** The source of national events (metadata.force `national`): the nation, not a force. */
export const CE_SOURCE_NATIONAL = `/uk/police/nom/${NATIONAL}`;

/** `schemaBaseUrl`: where the backbone serves its schemas (NOM_SCHEMA_BASE_URL), for `ce_dataschema` (ADR 0031). */
export function toKafkaRecord(event: RecordedEvent, schemaBaseUrl?: string): KafkaRecord {
  const m = event.metadata;
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: sourceOf(m.force),
    ce_type: event.type,
    ce_time: event.recordedAt,
    ce_subject: event.streamId,
    ce_dataschema: schemaUriOf(event.type, schemaBaseUrl),
    'content-type': 'application/json',
    ce_nomforce: m.force,
    ce_nomstreamrevision: event.revision.toString(),
    ce_nomposition: event.position.toString(),
    ce_nomcorrelationid: m.correlationId,
    ce_nomcausationid: m.causationId,
    ce_nomactor: m.actor,
    ce_nommodelversion: m.modelVersion,
    ce_nomclassification: m.classification,
    ce_nomoccurredat: m.occurredAt,
  };
  if (m.traceparent !== undefined) headers['ce_traceparent'] = m.traceparent;
  if (m.tracestate !== undefined) headers['ce_tracestate'] = m.tracestate;
  return { key: event.streamId, value: Buffer.from(JSON.stringify(event.data)), headers };
}

/**
 * The headers `toKafkaRecord` would leave without a string value (metadata lacking a field, or holding something
 * else), in its order; empty when the record can be built. Checks the same fields without building the record (no
 * payload serialised): a rebuild asks this of every event of the history (issue 14).
 */
export function missingCloudEventHeaders(event: RecordedEvent): string[] {
  const m = event.metadata;
  const missing: string[] = [];
  const need = (name: string, value: unknown): void => {
    if (typeof value !== 'string') missing.push(name);
  };
  need('ce_id', event.id);
  need('ce_type', event.type);
  need('ce_time', event.recordedAt);
  need('ce_subject', event.streamId);
  need('ce_nomforce', m.force);
  need('ce_nomcorrelationid', m.correlationId);
  need('ce_nomcausationid', m.causationId);
  need('ce_nomactor', m.actor);
  need('ce_nommodelversion', m.modelVersion);
  need('ce_nomclassification', m.classification);
  need('ce_nomoccurredat', m.occurredAt);
  if (m.traceparent !== undefined) need('ce_traceparent', m.traceparent);
  if (m.tracestate !== undefined) need('ce_tracestate', m.tracestate);
  return missing;
}

/**
 * `ce_source` of each owner and `ce_dataschema` of each type, built once rather than for every record (issue 14: the
 * relay's encoding); a few dozen owners and a few hundred types, capped in case a log holds garbled ones.
 */
const MEMO_LIMIT = 2048;
const sources = new Map<string, string>();
const schemaUris = new Map<string | undefined, Map<string, string>>();

function sourceOf(force: string): string {
  let source = sources.get(force);
  if (source === undefined) {
    source = force === NATIONAL ? CE_SOURCE_NATIONAL : `${CE_SOURCE_PREFIX}${force}`;
    if (sources.size < MEMO_LIMIT) sources.set(force, source);
  }
  return source;
}

function schemaUriOf(type: string, schemaBaseUrl: string | undefined): string {
  let byType = schemaUris.get(schemaBaseUrl);
  if (byType === undefined) schemaUris.set(schemaBaseUrl, (byType = new Map<string, string>()));
  let uri = byType.get(type);
  if (uri === undefined) {
    uri = dataSchemaUri(type, schemaBaseUrl);
    if (byType.size < MEMO_LIMIT) byType.set(type, uri);
  }
  return uri;
}

function optionalHeader(headers: RawHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.toString();
}

/** Why a record could not be decoded; the consumer dead-letters it with this reason. */
export class UndecodableRecordError extends Error {
  override readonly name = 'UndecodableRecordError';
}

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

function header(headers: RawHeaders, name: string): string {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) throw new UndecodableRecordError(`missing header ${name}`);
  return value.toString();
}

/** Revisions and positions are PostgreSQL bigints: every reader checkpoints them, so a larger one is undecodable here. */
const INT64_MAX = 2n ** 63n - 1n;

function bigintHeader(headers: RawHeaders, name: string): bigint {
  const text = header(headers, name);
  const value = /^\d{1,19}$/.test(text) ? BigInt(text) : undefined;
  if (value === undefined || value > INT64_MAX) throw new UndecodableRecordError(`header ${name} is not a non-negative 64-bit integer`);
  return value;
}

/** Decodes a binary-mode CloudEvents Kafka record back to the recorded event. */
export function fromKafkaRecord(record: { key: Buffer | string | null; value: Buffer | null; headers?: RawHeaders }): RecordedEvent {
  const headers = record.headers ?? {};
  if (header(headers, 'ce_specversion') !== '1.0') throw new UndecodableRecordError('ce_specversion is not 1.0');
  if (record.value === null) throw new UndecodableRecordError('record has no value');
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString('utf8'));
  } catch {
    throw new UndecodableRecordError('record value is not JSON');
  }
  const classification = header(headers, 'ce_nomclassification');
  if (classification !== 'OFFICIAL' && classification !== 'OFFICIAL-SENSITIVE') {
    throw new UndecodableRecordError('ce_nomclassification is not a known classification');
  }
  return {
    id: header(headers, 'ce_id'),
    type: header(headers, 'ce_type'),
    streamId: header(headers, 'ce_subject'),
    revision: bigintHeader(headers, 'ce_nomstreamrevision'),
    position: bigintHeader(headers, 'ce_nomposition'),
    recordedAt: header(headers, 'ce_time'),
    data,
    metadata: {
      force: header(headers, 'ce_nomforce'),
      occurredAt: header(headers, 'ce_nomoccurredat'),
      correlationId: header(headers, 'ce_nomcorrelationid'),
      causationId: header(headers, 'ce_nomcausationid'),
      actor: header(headers, 'ce_nomactor'),
      modelVersion: header(headers, 'ce_nommodelversion'),
      classification,
      ...traceHeaders(headers),
    },
  };
}

function traceHeaders(headers: RawHeaders): { traceparent?: string; tracestate?: string } {
  const traceparent = optionalHeader(headers, 'ce_traceparent');
  if (traceparent === undefined) return {};
  const tracestate = optionalHeader(headers, 'ce_tracestate');
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}
