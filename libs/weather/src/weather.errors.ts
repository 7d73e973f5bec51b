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
    /** How long the provider asked us to wait (a 429's Retry-After), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /**
   * Failures of the provider itself (down, slow, refusing our key, rate limiting us), as opposed
   * to the location's (`not_found`) or our own (`budget_exhausted`): these count towards opening
   * the circuit.
   */
  get providerFailure(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'unavailable' ||
      this.kind === 'rate_limited' ||
      this.kind === 'unauthorized' ||
      this.kind === 'invalid_response'
    );
  }
}
