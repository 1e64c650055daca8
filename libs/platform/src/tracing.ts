import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Observable } from 'rxjs';
import { backboneTracer } from '#contracts';
import type { TracingConfig } from './config.js';

/**
 * OpenTelemetry for one process (ADR 0039): the Node tracer provider with an OTLP/HTTP (JSON) trace exporter (not
 * `@opentelemetry/sdk-node`, whose every exporter, gRPC included, would ship in the production image), started only when
 * the configuration names an endpoint. No auto-instrumentation: the backbone is ESM, and module patching needs the
 * loader hook; the spans that matter (HTTP, append, publish, apply) are made explicitly with `@opentelemetry/api`.
 * Started once per process however many infrastructures open (tests); stopped (flushed) when the last one closes.
 */
let running: { sdk: NodeTracerProvider; users: number } | undefined;

export interface RunningTracing {
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig): RunningTracing {
  if (!running) {
    const sdk = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.url, headers: { ...config.headers } }))],
    });
    sdk.register();
    running = { sdk, users: 0 };
  }
  const mine = running;
  mine.users += 1;
  let stopped = false;
  return {
    async shutdown() {
      if (stopped) return;
      stopped = true;
      mine.users -= 1;
      if (mine.users > 0) return;
      if (running === mine) running = undefined;
      await mine.sdk.shutdown();
    },
  };
}

/**
 * One server span per HTTP request, the root of the command's trace. A caller's `traceparent` is NOT its parent
 * (T37: an outside trace id is trusted for correlation only, so a caller cannot join or steer our traces): it is
 * recorded as a link. Attributes are the method, route template and status; never the body or query.
 */
export function traceMiddleware(req: Request, res: Response, next: NextFunction): void {
  const caller = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, req.headers));
  const links: Link[] = caller && trace.isSpanContextValid(caller) ? [{ context: caller, attributes: { 'nom.link': 'caller' } }] : [];
  const span = backboneTracer().startSpan(
    `HTTP ${req.method}`,
    { kind: SpanKind.SERVER, links, attributes: { 'http.request.method': req.method } },
    ROOT_CONTEXT,
  );
  res.once('finish', () => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof route === 'string') {
      span.setAttribute('http.route', `${req.baseUrl}${route}`);
      span.updateName(`HTTP ${req.method} ${req.baseUrl}${route}`);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  res.once('close', () => span.end());
  (req as TracedRequest)[REQUEST_SPAN] = span;
  context.with(trace.setSpan(ROOT_CONTEXT, span), next);
}

const REQUEST_SPAN = Symbol('nom.requestSpan');
type TracedRequest = Request & { [REQUEST_SPAN]?: ReturnType<typeof trace.getActiveSpan> };

/**
 * Runs the route handler in its request's span: the body parser's callbacks lose the middleware's async context,
 * so the handler (and the append it makes) re-enters it here.
 */
export class TraceInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const span = execution.switchToHttp().getRequest<TracedRequest>()[REQUEST_SPAN];
    if (!span) return next.handle();
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    return new Observable((subscriber) => context.with(ctx, () => next.handle().subscribe(subscriber)));
  }
}
