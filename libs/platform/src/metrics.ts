import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Req,
  Res,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { Observable } from 'rxjs';
import { Public } from './auth.guard.js';
import type { BackboneConfig } from './config.js';
import { BACKBONE_CONFIG } from './tokens.js';
import { problem } from './problem.js';

/**
 * The one Prometheus registry of this process (ADR 0038): every service of the process (the quick start runs them
 * all) registers its metrics here and `GET /metrics` serves it to the scraper. Labels are force codes, read model
 * names, reader names, route templates and status classes: never a case, a person or a raw URL.
 */
export const metricsRegistry = new Registry();
let runtimeMetrics = false;

/** Node's own metrics (event loop lag, heap, GC, handles), once per process. */
export function enableRuntimeMetrics(): void {
  if (runtimeMetrics) return;
  runtimeMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'nom_' });
}

type LabelsOf<L extends string> = Partial<Record<L, string | number>>;

/** A gauge read at scrape time; a later app in the same process (tests) replaces the earlier one's collector. */
export function collectedGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (set: (labels: LabelsOf<L>, value: number) => void) => Promise<void> | void,
): Gauge<L> {
  metricsRegistry.removeSingleMetric(name);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      await collect((labels, value) => this.set(labels, value));
    },
  });
}

function existing<M extends Metric>(name: string): M | undefined {
  return metricsRegistry.getSingleMetric(name) as M | undefined;
}

/** A counter shared by every app of the process (created once). */
export function sharedCounter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames, registers: [metricsRegistry] });
}

/** A histogram shared by every app of the process (created once); buckets in seconds. */
export function sharedHistogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets?: number[]): Histogram<L> {
  return (
    existing<Histogram<L>>(name) ??
    new Histogram<L>({ name, help, labelNames, registers: [metricsRegistry], ...(buckets ? { buckets } : {}) })
  );
}

/** A gauge shared by every app of the process (created once), set by its owner. */
export function sharedGauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames, registers: [metricsRegistry] });
}

/** Whether an Authorization header carries the scraper's bearer token (compared in constant time). */
export function metricsTokenAccepts(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * HTTP rate, errors and duration per route: the label is the route template (`/cases/:caseId`), never the URL;
 * a request no route matched is labelled `unmatched` so a scan of random URLs cannot grow the label set.
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  private readonly duration = sharedHistogram(
    'nom_http_request_duration_seconds',
    'HTTP request duration by route template, method and status class.',
    ['method', 'route', 'status'],
  );

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const stop = this.duration.startTimer();
    const template = (request.route as { path?: unknown } | undefined)?.path;
    const route = typeof template === 'string' ? `${request.baseUrl}${template}` : 'unmatched';
    // The status is only final once the response is sent (an exception filter may set it later).
    response.once('finish', () => stop({ method: request.method, route, status: `${Math.floor(response.statusCode / 100)}xx` }));
    return next.handle();
  }
}

/**
 * `/metrics` for the scraper only: not a user route (no JWT, no role) but the bearer token NOM_METRICS_TOKEN, compared
 * in constant time before anything is collected; without that setting /metrics is not served at all (404).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig) {}

  @Get()
  @Public()
  @ApiBearerAuth()
  async metricsText(@Req() request: Request, @Res() response: Response): Promise<void> {
    const token = this.config.metricsToken;
    if (!token) throw problem(404, 'not-found', 'Not found');
    if (!metricsTokenAccepts(request.headers.authorization, token))
      throw problem(401, 'unauthenticated', 'The scraper token (NOM_METRICS_TOKEN) is required');
    const text = await metricsRegistry.metrics();
    response.setHeader('Content-Type', metricsRegistry.contentType);
    response.send(text);
  }
}
