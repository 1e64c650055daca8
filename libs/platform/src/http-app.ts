import { BadRequestException, ValidationPipe, type INestApplication, type ValidationError } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Violation } from '#contracts';
import { AuthGuard } from './auth.guard.js';
import { IdempotencyInterceptor } from './idempotency.js';
import { problem, ProblemFilter } from './problem.js';
import { RateLimiter } from './rate-limit.js';

/** Flattens class-validator errors to (JSON pointer, reason) pairs. */
export function violationsOf(errors: readonly ValidationError[], parent = ''): Violation[] {
  return errors.flatMap((error) => {
    const field = `${parent}/${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...violationsOf(error.children ?? [], field)];
  });
}

/** Global providers every HTTP app registers: the per-caller rate limiter, the auth guard and the problem+json filter. */
export const HTTP_APP_PROVIDERS = [
  RateLimiter,
  { provide: APP_GUARD, useClass: AuthGuard },
  { provide: APP_FILTER, useClass: ProblemFilter },
  { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
];

/** Global pipes, limits and the OpenAPI document at /docs (JSON at /docs-json). */
export function configureHttpApp(app: INestApplication, options: { title: string; bodyLimitBytes: number }): void {
  const express = app as NestExpressApplication;
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
