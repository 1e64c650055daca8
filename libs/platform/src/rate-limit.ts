import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { BackboneConfig } from './config.js';
import type { Identity } from './identity.js';
import { problem } from './problem.js';
import { BACKBONE_CONFIG } from './tokens.js';

/** A caller's limit: at most `limit` requests per window of `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The caller a limit is counted for: the verified officer in their force (never a claim from the request body). */
export function callerKey(identity: Pick<Identity, 'force' | 'officerId'>): string {
  return `${identity.force}:${identity.officerId}`;
}

/**
 * Counts requests per caller (rate-limiter-flexible) and refuses a caller over its limit with 429 (problem+json,
 * `Retry-After`), without touching any other caller's count. The AuthGuard takes a request right after verifying
 * the token and before the role and force checks, so refused probes (another force's ids, forbidden routes) count.
 *
 * Counts live in this process; several replicas behind a load balancer each keep their own, so the effective
 * limit is per replica. rate-limiter-flexible's PostgreSQL or Redis limiters plug in here when that matters.
 */
@Injectable()
export class RateLimiter {
  readonly limit: RateLimit;
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(BACKBONE_CONFIG) config: BackboneConfig) {
    this.limit = config.rateLimit;
    this.limiter = new RateLimiterMemory({ points: this.limit.limit, duration: this.limit.windowMs / 1000 });
  }

  /** Counts one request; throws 429 (with the seconds until the window resets) when the caller is over the limit. */
  async take(key: string, setHeader: (name: string, value: string) => void): Promise<void> {
    const { limit, windowMs } = this.limit;
    setHeader('RateLimit-Policy', `${limit};w=${Math.ceil(windowMs / 1000)}`);
    try {
      await this.limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      setHeader('Retry-After', String(retryAfter));
      throw problem(429, 'too-many-requests', 'Too many requests', {
        detail: `at most ${limit} requests per ${windowMs / 1000} s per caller; retry after ${retryAfter} s`,
      });
    }
  }
}
