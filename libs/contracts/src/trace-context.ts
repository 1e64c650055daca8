import { context, propagation, ROOT_CONTEXT, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';

/**
 * W3C Trace Context carried with an event (ADR 0039): the append writes the active span's `traceparent` (and
 * `tracestate`) into the event's metadata; the relay sends them as the CloudEvents distributed-tracing extension
 * (`ce_traceparent`, `ce_tracestate` Kafka headers); the projector continues the trace from them. Only
 * `@opentelemetry/api` here: with no SDK started (OTEL_* unset, the default) every call is a no-op and no field
 * is written, because the active span context is invalid.
 */
export interface TraceFields {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The backbone's tracer (one instrumentation scope for every library). */
export function backboneTracer(): Tracer {
  return trace.getTracer('nom-backbone');
}

/** The active context as trace fields; empty when nothing is being traced. */
export function activeTraceFields(ctx: Context = context.active()): TraceFields {
  if (!trace.getSpanContext(ctx) || !trace.isSpanContextValid(trace.getSpanContext(ctx)!)) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const traceparent = carrier['traceparent'];
  if (traceparent === undefined || !TRACEPARENT.test(traceparent)) return {};
  return carrier['tracestate'] ? { traceparent, tracestate: carrier['tracestate'] } : { traceparent };
}

/** The context a stored or consumed event's trace fields name (the root context when they name none or are malformed). */
export function contextOfTraceFields(fields: TraceFields | undefined): Context {
  if (fields?.traceparent === undefined || !TRACEPARENT.test(fields.traceparent)) return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent: fields.traceparent };
  if (fields.tracestate !== undefined) carrier['tracestate'] = fields.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `work` in a span (child of `parent`, the active context by default), recording a thrown error; ends the span. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
  parent?: Context,
): Promise<T> {
  const span = backboneTracer().startSpan(name, { attributes }, parent ?? context.active());
  try {
    return await context.with(trace.setSpan(parent ?? context.active(), span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: 2 });
    throw error;
  } finally {
    span.end();
  }
}
