import type { NextFunction, Request, Response } from 'express';
import type { Violation } from '#contracts';
import { problem } from './problem.js';

/**
 * The deepest nesting a request body may have. The deepest command is three levels (a model version's rules); the
 * JSON parser takes any depth the 64 KiB body limit allows (some 30 000 levels), but what reads a body after it
 * (the validation pipe's copy, the idempotency hash) recurses, and a stack overflow there was a 500 (issue 11,
 * item 4, found by the fuzzer).
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Where a value nests deeper than `maxDepth` (the JSON pointer of the first value past the limit, as the
 * validation errors write fields), or undefined. Iterative: it must not itself overflow the stack.
 */
export function tooDeepAt(value: unknown, maxDepth = MAX_BODY_DEPTH): Violation | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [node, pointer, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return { field: pointer, reason: `nested deeper than ${maxDepth} levels` };
    for (const [key, child] of Object.entries(node)) stack.push([child, `${pointer}/${key}`, depth + 1]);
  }
  return undefined;
}

/** Express middleware after the JSON parser: a body nested too deep is a 400 naming the field, before anything reads it. */
export function bodyDepthLimit(maxDepth = MAX_BODY_DEPTH): (request: Request, response: Response, next: NextFunction) => void {
  return (request, _response, next) => {
    const violation = tooDeepAt(request.body, maxDepth);
    if (!violation) return next();
    next(problem(400, 'invalid-request', 'The request is invalid', { errors: [violation] }));
  };
}
