/**
 * Why an upstream call failed, as the cache and the circuit breaker need to know it:
 * transient failures are retried soon, `not_found` only after a day, `unauthorized` is a
 * configuration problem; `budget_exhausted` is our own call budget, not the provider.
 */
export type UpstreamFailure =
  | 'budget_exhausted'
  | 'timeout'
  | 'unavailable'
  | 'rate_limited'
  | 'not_found'
  | 'unauthorized'
  | 'invalid_response';

/** A failed call to a weather provider. The message names provider and cause, never the key. */
export class WeatherUpstreamError extends Error {
  override readonly name = 'WeatherUpstreamError';
  constructor(
    readonly kind: UpstreamFailure,
    readonly provider: string,
    message: string,
  ) {
    super(message);
  }

  get transient(): boolean {
    return this.kind !== 'not_found' && this.kind !== 'unauthorized';
  }
}
