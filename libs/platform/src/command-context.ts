import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CorrelatedRequest } from './logging.js';
import type { DecisionContext } from './decision-runner.js';
import { idempotencyKeyOf } from './idempotency.js';
import { problem } from './problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ifMatchOf(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,19})"?$/.exec(header.trim());
  if (!match) {
    throw problem(400, 'invalid-request', 'The request is invalid', {
      errors: [{ field: 'If-Match', reason: 'must be an ETag this API returned' }],
    });
  }
  return BigInt(match[1]!);
}

/**
 * Everything a command needs besides its own fields, taken from the request, never from the body: the
 * verified identity, If-Match (optimistic concurrency), Idempotency-Key, the correlation id
 * (X-Correlation-Id when the caller sends a UUID, otherwise a new one) and the time the request was received.
 */
export const CommandContext = createParamDecorator((_: unknown, context: ExecutionContext): DecisionContext => {
  const request = context.switchToHttp().getRequest<CorrelatedRequest>();
  if (!request.identity) throw new Error('CommandContext used on a route without authentication');
  const correlation = request.headers['x-correlation-id'];
  const ifMatch = ifMatchOf(request.headers['if-match']);
  const idempotencyKey = idempotencyKeyOf(request);
  return {
    identity: request.identity,
    correlationId: request.correlationId ?? (typeof correlation === 'string' && UUID.test(correlation) ? correlation : randomUUID()),
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    ...(request.receivedAt !== undefined ? { occurredAt: request.receivedAt } : {}),
  };
});

/**
 * The time of a fact the caller does not state (a note recorded, a referral made): when the request was received,
 * by the injected clock (ADR 0018), which CommandContext puts in `occurredAt`.
 */
export function receivedAt(context: DecisionContext): string {
  if (context.occurredAt === undefined) throw new Error('receivedAt: the command context has no time (the AuthGuard stamps every request)');
  return context.occurredAt;
}
