/**
 * The national event envelope. Every event in the backbone, whatever its context, travels in this shape.
 * Positions and revisions are JavaScript `bigint`s in code and decimal strings on the wire (JSON and Kafka
 * headers), because a global position is a 64-bit PostgreSQL `bigint` and must never be rounded.
 */
export type DataClassification = 'OFFICIAL' | 'OFFICIAL-SENSITIVE';

/** What the caller supplies with an event; the store adds stream, revision, position and recorded time. */
export interface EventMetadata {
  /**
   * Force code from forces.csv, e.g. `avon-somerset`: the owning force of the stream; or `national` (scope.ts)
   * for the national streams, only for the event types the catalogue marks national.
   */
  readonly force: string;
  /** When the fact happened in the world (ISO 8601, supplied by the command, never by the domain). */
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** Who caused it: an officer id, or `system:<component>` for process managers. */
  readonly actor: string;
  /** Version of the National Operating Model this event was recorded under, e.g. `2026.1`. */
  readonly modelVersion: string;
  readonly classification: DataClassification;
  /**
   * W3C Trace Context of the command that recorded it (ADR 0039), written only when tracing is on; correlation
   * only: nothing reads it to decide anything.
   */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly data: TData;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<TType extends string = string, TData = unknown> extends NewEvent<TType, TData> {
  readonly streamId: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  /** Position in the global log: strictly increasing in read order, never reused. */
  readonly position: bigint;
  /** When the store committed it. */
  readonly recordedAt: string;
}
