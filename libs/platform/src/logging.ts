import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { logCreator as KafkaLogCreator } from 'kafkajs';
import type { ConsumedBatch } from '#messaging';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';
import type { AuthenticatedRequest } from './auth.guard.js';
import type { LogLevel } from './config.js';

/** The header a caller may send its correlation id in (a UUID), and in which every answer returns the one used. */
export const CORRELATION_HEADER = 'x-correlation-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CorrelatedRequest extends AuthenticatedRequest {
  /** The caller's X-Correlation-Id when it is a UUID, else a new one: in the logs, the access log and the events. */
  correlationId?: string;
}

/** Express middleware, first of all: names the request's correlation id and returns it in the answer's header. */
export function correlationMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
  (request as CorrelatedRequest).correlationId = id;
  response.setHeader(CORRELATION_HEADER, id);
  next();
}

/** The trace id of a W3C `traceparent` (version-traceid-parentid-flags), when there is a valid one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent.trim());
  return match && !/^0+$/.test(match[1]!) ? match[1] : undefined;
}

/** Nest's levels as pino's (`log` is pino's `info`, `verbose` its `trace`). */
const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

export interface LoggingOptions {
  readonly level: LogLevel;
  /** Human-readable lines (pino-pretty): the quick start only; every deployment logs JSON, one object per line. */
  readonly pretty?: boolean;
  /** Where the JSON lines go (tests); standard output by default. */
  readonly destination?: DestinationStream;
}

/**
 * The fields of a request's lines besides its correlation id (pino-http's request id, named `correlationId`): the trace
 * id from the start, and once the answer is sent, the verified caller's force and officer (pino-http asks at the start
 * and again at the end; each field is given once, so that no line repeats a key).
 */
function requestProps(req: IncomingMessage, res: ServerResponse): Record<string, string> {
  const request = req as unknown as CorrelatedRequest;
  if (res.headersSent) return request.identity ? { force: request.identity.force, officer: request.identity.officerId } : {};
  const traceId = traceIdOf(request.headers['traceparent']);
  return traceId ? { traceId } : {};
}

/**
 * Structured JSON logs (nestjs-pino, ADR 0029): one access line per request (method, route, status, time) with the
 * request's fields; every Nest `Logger` in the process writes through the same pino logger, inside a request with
 * that request's correlation id. The token is never logged.
 */
export function loggingModule(options: LoggingOptions): ReturnType<typeof LoggerModule.forRoot> {
  const http = {
    level: PINO_LEVEL[options.level],
    genReqId: (req: IncomingMessage) => (req as unknown as CorrelatedRequest).correlationId ?? randomUUID(),
    customProps: requestProps,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url?.split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    // Probes would drown the log: they are answered, not logged.
    autoLogging: { ignore: (req: IncomingMessage) => /^\/health(\/|$)/.test(req.url ?? '') },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error): Level =>
      error || res.statusCode >= 500 ? 'error' : 'info',
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
  return LoggerModule.forRoot({ pinoHttp: options.destination && !options.pretty ? [http, options.destination] : http });
}

/** kafkajs logs through the process's logger (context `kafkajs`), as structured fields rather than its own JSON text. */
export const kafkaLogCreator: KafkaLogCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }) => {
    const fields: Record<string, unknown> = { ...log };
    // kafkajs's own timestamp and logger name: pino stamps the line itself.
    delete fields['timestamp'];
    delete fields['logger'];
    delete fields['message'];
    const entry = { msg: log.message, namespace, ...fields };
    // kafkajs levels: 1 error, 2 warn, 4 info, 5 debug.
    const severity = Number(level);
    if (severity <= 1) logger.error(entry);
    else if (severity === 2) logger.warn(entry);
    else if (severity === 4) logger.log(entry);
    else logger.debug(entry);
  };
};

const consumerLogger = new Logger('consumer');

/** One structured line per consumer batch: its group, partition and offsets, and its events' correlation, trace, force and officer. */
export function logConsumedBatch(batch: ConsumedBatch): void {
  consumerLogger.log({
    msg: 'batch handled',
    groupId: batch.groupId,
    topic: batch.topic,
    partition: batch.partition,
    offsets: `${batch.firstOffset}-${batch.lastOffset}`,
    records: batch.records,
    correlationId: batch.correlationIds.length === 1 ? batch.correlationIds[0] : batch.correlationIds,
    ...(batch.traceIds.length > 0 ? { traceId: batch.traceIds.length === 1 ? batch.traceIds[0] : batch.traceIds } : {}),
    force: batch.forces.length === 1 ? batch.forces[0] : batch.forces,
    officer: batch.officers.length === 1 ? batch.officers[0] : batch.officers,
  });
}
