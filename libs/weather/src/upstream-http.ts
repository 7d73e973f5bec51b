import { AppConfig } from '@app/config';
import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { Metrics } from '@app/infra';
import { AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { CallBudget } from './call-budget';
import { UpstreamFailure, WeatherUpstreamError } from './weather.errors';

export interface UpstreamCallOptions {
  /** Wait for the call budget (the refresh) instead of failing at once (lookups). */
  waitForBudget: boolean;
}

export interface UpstreamResponse {
  status: number;
  data: unknown;
}

/** The longest Retry-After honoured: a provider asking for more is asked again after an hour. */
const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * Every request to a weather provider goes through here: it takes one call from the shared
 * budget, is cut off after WEATHER_TIMEOUT_MS, and turns network trouble into
 * WeatherUpstreamError. HTTP statuses are returned for the provider to interpret.
 */
@Injectable()
export class UpstreamHttp {
  constructor(
    private readonly http: HttpService,
    private readonly budget: CallBudget,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * @param endpoint the metrics' name of what is asked: the path, with a template for any part
   *   of it that is data (`/{country}/{postcode}`), so no postcode ever becomes a label.
   */
  async get(
    provider: string,
    endpoint: string,
    url: string,
    params: Record<string, string | number>,
    options: UpstreamCallOptions,
  ): Promise<UpstreamResponse> {
    if (options.waitForBudget) {
      await this.budget.take();
    } else if (!(await this.budget.tryTake())) {
      throw new WeatherUpstreamError(
        'budget_exhausted',
        provider,
        `the weather call budget (${this.budget.perMinute} per minute) is used up; try again within a minute`,
      );
    }
    const timeoutMs = this.config.weather.timeoutMs;
    const labels = { provider, endpoint, outcome: 'network_error' };
    try {
      const response = await firstValueFrom(
        this.http.get(url, {
          params,
          timeout: timeoutMs,
          // Also bounds a server that trickles its answer, which the socket timeout alone doesn't.
          signal: AbortSignal.timeout(timeoutMs),
          validateStatus: () => true,
          responseType: 'json',
          headers: {
            Accept: 'application/json',
            'User-Agent': 'shipment-tracking/1 (weather at the receiver)',
          },
        }),
      );
      labels.outcome = outcomeOf(response.status);
      if (response.status === 429) {
        throw rateLimited(provider, response.headers['retry-after'] as unknown);
      }
      return { status: response.status, data: response.data as unknown };
    } catch (error) {
      if (error instanceof WeatherUpstreamError) throw error;
      const failure = networkFailure(provider, error, timeoutMs);
      if (failure.kind === 'timeout') labels.outcome = 'timeout';
      throw failure;
    } finally {
      this.metrics.weatherUpstreamRequests.inc(labels);
    }
  }
}

/** ok, rate_limited, http_4xx or http_5xx: few values, so the series stay few. */
function outcomeOf(status: number): string {
  if (status < 400) return 'ok';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'http_4xx' : 'http_5xx';
}

/** A 429, with the provider's Retry-After (seconds or an HTTP date) when it sent one. */
function rateLimited(provider: string, header: unknown): WeatherUpstreamError {
  const retryAfterMs = parseRetryAfter(typeof header === 'string' ? header : undefined);
  return new WeatherUpstreamError(
    'rate_limited',
    provider,
    `${provider} is rate limiting us (HTTP 429)` +
      (retryAfterMs !== undefined ? `; it asked for ${Math.ceil(retryAfterMs / 1000)} s` : ''),
    retryAfterMs,
  );
}

/** Retry-After as milliseconds from now (RFC 9110: delay-seconds or an HTTP-date), capped. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function networkFailure(provider: string, error: unknown, timeoutMs: number): WeatherUpstreamError {
  const code = (error as AxiosError).code ?? (error as { name?: string }).name;
  if (
    code === 'ECONNABORTED' ||
    code === 'ETIMEDOUT' ||
    code === 'ERR_CANCELED' ||
    code === 'TimeoutError' ||
    code === 'AbortError'
  ) {
    return new WeatherUpstreamError(
      'timeout',
      provider,
      `${provider} did not answer within ${timeoutMs} ms`,
    );
  }
  // Only the code, never the message: axios messages can carry the request URL and its API key.
  return new WeatherUpstreamError(
    'unavailable',
    provider,
    `${provider} could not be reached (${code ?? 'network error'})`,
  );
}

/** Maps an unexpected HTTP status to a failure kind. */
export function failureForStatus(
  provider: string,
  status: number,
  what: string,
): WeatherUpstreamError {
  const kind: UpstreamFailure =
    status === 401 || status === 403
      ? 'unauthorized'
      : status === 404
        ? 'not_found'
        : status === 429
          ? 'rate_limited'
          : status >= 500
            ? 'unavailable'
            : 'invalid_response';
  const reason =
    kind === 'unauthorized'
      ? `${provider} refused the API key (HTTP ${status}); check WEATHER_API_KEY`
      : kind === 'rate_limited'
        ? `${provider} is rate limiting us (HTTP 429)`
        : kind === 'unavailable'
          ? `${provider} is failing (HTTP ${status})`
          : kind === 'not_found'
            ? `${provider} does not know ${what}`
            : `${provider} rejected the request for ${what} (HTTP ${status})`;
  return new WeatherUpstreamError(kind, provider, reason);
}

/** A number from an upstream body, or a WeatherUpstreamError saying the body is not what the docs say. */
export function requireNumber(provider: string, value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new WeatherUpstreamError(
      'invalid_response',
      provider,
      `${provider} sent an unexpected body (${field} missing)`,
    );
  }
  return number;
}
