import { AppConfig } from '@app/config';
import { Metrics, WindowCounters } from '@app/infra';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeysService } from '../auth/api-keys.service';
import { API_KEY_HEADER } from '../auth/operator.guard';
import { ProblemException } from '../common/problem';
import { PROBLEMS } from '../common/problem-types';

/** The IETF RateLimit header fields every limited response carries. */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

export const RATE_LIMIT_WINDOW_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage on WindowCounters: one fixed one-minute window per client, in Redis
 * (shared by every instance) or in process. Over the limit, the client waits for the window's end.
 */
@Injectable()
export class WindowCountersStorage implements ThrottlerStorage {
  constructor(private readonly counters: WindowCounters) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const { count, resetMs } = await this.counters.increment(`rate:${key}`, ttl);
    const seconds = Math.max(1, Math.ceil(resetMs / 1000));
    return {
      totalHits: count,
      timeToExpire: seconds,
      isBlocked: count > limit,
      timeToBlockExpire: seconds,
    };
  }
}

/**
 * RATE_LIMIT_PER_MINUTE requests per client per minute over all the public endpoints together
 * (one budget, not one per endpoint). Operators with a valid X-API-Key are not limited; with a
 * limit of 0 nothing is. Every limited response says where the client stands (RateLimit-*); a
 * refused one is a 429 problem with Retry-After.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  /**
   * The library's own request handling (storage, headers, 429), without its per-request setup:
   * for each throttler it makes six reflector lookups and four awaits to find per-route
   * overrides (@Throttle, @SkipThrottle), which this app never sets: one budget for every public
   * endpoint is the rule. So the one throttler's numbers are read once.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    const [throttler] = this.throttlers;
    const limit = throttler.limit as number;
    const ttl = throttler.ttl as number;
    return this.handleRequest({
      context,
      limit,
      ttl,
      blockDuration: ttl,
      throttler,
      getTracker: this.commonOptions.getTracker!,
      generateKey: this.commonOptions.generateKey!,
    });
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.config.edge.rateLimitPerMinute === 0) return Promise.resolve(true);
    const key = context.switchToHttp().getRequest<FastifyRequest>().headers[API_KEY_HEADER];
    // A wrong key is not skipped: it is counted, and the lookup answers 401 for it.
    return Promise.resolve(this.apiKeys.accepts(key));
  }

  /** One budget per client across the public endpoints. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    { limit, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.headers({
      'RateLimit-Limit': limit,
      'RateLimit-Remaining': 0,
      'RateLimit-Reset': timeToBlockExpire,
    });
    this.metrics.rateLimitedRequests.inc({ reason: 'rate_limit' });
    throw new ProblemException(
      PROBLEMS.rateLimited,
      `Too many requests: at most ${limit} a minute per client; try again in ${timeToBlockExpire} s`,
      {},
      timeToBlockExpire,
    );
  }
}
