import { BadRequestException, ValidationPipe, type INestApplication, type ValidationError } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { HttpMetricsInterceptor } from './metrics.js';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Violation } from '#contracts';
import { AuthGuard } from './auth.guard.js';
import { BodyLimitsGuard } from './body-limits.js';
import { IdempotencyInterceptor } from './idempotency.js';
import { correlationMiddleware } from './logging.js';
import { problem } from './problem.js';
import { ProblemFilter } from './problem.filter.js';
import { RateLimiter } from './rate-limit.js';
import { Section62Guard, Section62Interceptor } from './section62.js';
import { TraceInterceptor, traceMiddleware } from './tracing.js';

/** Flattens class-validator errors to (JSON pointer, reason) pairs. */
export function violationsOf(errors: readonly ValidationError[], parent = ''): Violation[] {
  return errors.flatMap((error) => {
    const field = `${parent}/${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...violationsOf(error.children ?? [], field)];
  });
}

/**
 * Global providers every HTTP app registers, in order: the per-caller rate limiter (used by the auth guard), the
 * Section 62 guard first (it notes the route so that any later refusal is logged), the auth guard, the body's shape
 * (nesting depth, storable text: body-limits.ts), the problem+json
 * filter (logs refusals), the Section 62 interceptor outermost (logs every answer before it leaves), then
 * Idempotency-Key.
 */
export const HTTP_APP_PROVIDERS = [
  RateLimiter,
  { provide: APP_GUARD, useClass: Section62Guard },
  { provide: APP_GUARD, useClass: AuthGuard },
  { provide: APP_GUARD, useClass: BodyLimitsGuard },
  { provide: APP_FILTER, useClass: ProblemFilter },
  { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
  { provide: APP_INTERCEPTOR, useClass: Section62Interceptor },
  { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
];

/** Global pipes, limits and the OpenAPI document at /docs (JSON at /docs-json). */
export function configureHttpApp(app: INestApplication, options: { title: string; bodyLimitBytes: number }): void {
  const express = app as NestExpressApplication;
  express.use(traceMiddleware);
  express.use(correlationMiddleware);
  app.useGlobalInterceptors(new TraceInterceptor());
  express.use(helmet({ contentSecurityPolicy: false }));
  express.useBodyParser('json', { limit: options.bodyLimitBytes });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        problem(400, 'invalid-request', 'The request is invalid', { errors: violationsOf(errors) }) as BadRequestException,
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription('National Operating Model backbone (RASSO investigations). Errors are RFC 9457 problem+json.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
