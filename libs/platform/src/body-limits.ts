import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Violation } from '#contracts';
import { problem } from './problem.js';

/**
 * The deepest nesting a request body may have. The deepest command is three levels (a model version's rules); the
 * JSON parser takes any depth the 64 KiB body limit allows (some 30 000 levels), but what reads a body after it
 * (the validation pipe's copy, the idempotency hash) recurses, and a stack overflow there was a 500 (issue 11,
 * item 4, found by the fuzzer).
 */
export const MAX_BODY_DEPTH = 32;
/** Enough to name every fault of a body a person wrote; a generated one gets the first few. */
const MAX_VIOLATIONS = 20;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text PostgreSQL can store: its jsonb holds no NUL and no unpaired surrogate (the append of an event or an
 * access-log entry failed, a 500 or 503), and UTF-8 (what encryption and Kafka carry) has no form for the latter.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * What is wrong with a body's shape, whatever its command: nesting deeper than `maxDepth` (the JSON pointer of the
 * first value past the limit) and text that cannot be stored (in a value or a key), as the validation errors write
 * fields. Iterative: it must not itself overflow the stack.
 */
export function bodyViolations(value: unknown, maxDepth = MAX_BODY_DEPTH): Violation[] {
  const violations: Violation[] = [];
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0 && violations.length < MAX_VIOLATIONS) {
    const [node, pointer, depth] = stack.pop()!;
    if (typeof node === 'string') {
      if (!isStorableText(node)) violations.push({ field: pointer, reason: 'must be text without NUL characters or unpaired surrogates' });
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) {
      violations.push({ field: pointer, reason: `nested deeper than ${maxDepth} levels` });
      continue;
    }
    const children = Object.entries(node);
    for (const [key] of children) {
      if (!isStorableText(key))
        violations.push({ field: `${pointer}/${key}`, reason: 'must be a name without NUL characters or unpaired surrogates' });
    }
    for (const [key, child] of children.reverse()) stack.push([child, `${pointer}/${key}`, depth + 1]);
  }
  return violations.slice(0, MAX_VIOLATIONS);
}

/**
 * A global guard after authentication: a body of the wrong shape is a 400 naming each field, before the idempotency
 * interceptor and the validation pipe read it, and after the Section 62 guard, so the refusal is logged as an attempt.
 */
@Injectable()
export class BodyLimitsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const violations = bodyViolations(context.switchToHttp().getRequest<Request>().body);
    if (violations.length > 0) throw problem(400, 'invalid-request', 'The request is invalid', { errors: violations });
    return true;
  }
}
