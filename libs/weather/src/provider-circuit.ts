import { Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import { WeatherUpstreamError } from './weather.errors';

/** Consecutive provider failures that open the circuit (for WEATHER_RETRY_AFTER_SECONDS). */
export const BREAKER_FAILURES = 5;

/**
 * The circuit breaker around one provider (cockatiel): open after BREAKER_FAILURES provider
 * failures in a row, tried again after `retryAfterMs`; and held open as long as a 429's
 * Retry-After asks (cockatiel's isolation), whatever the failure count.
 */
export class ProviderCircuit {
  private readonly breaker: CircuitBreakerPolicy;
  /** The provider failure that opened the circuit, so the reason given while open is true. */
  private lastFailure = '';
  /** While a Retry-After holds the circuit open: until when, and the release. */
  private hold?: { until: number; release: () => void };

  constructor(
    private readonly provider: string,
    private readonly retryAfterMs: number,
    private readonly logger: Logger,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof WeatherUpstreamError && error.providerFailure),
      { halfOpenAfter: retryAfterMs, breaker: new ConsecutiveBreaker(BREAKER_FAILURES) },
    );
  }

  /** Open after failures, or held open by a Retry-After: the provider is not being called. */
  get open(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** A probe of a failing provider is under way (half-open). */
  get probing(): boolean {
    return this.breaker.state === CircuitState.HalfOpen;
  }

  execute<T>(work: () => Promise<T>): Promise<T> {
    return this.breaker.execute(work);
  }

  /** Remembers what failed (for the reason while open) and honours a Retry-After. */
  failed(error: WeatherUpstreamError): void {
    if (error.providerFailure) this.lastFailure = error.message;
    if (error.retryAfterMs) this.holdOpenFor(error.retryAfterMs);
  }

  /** The public words for an open or held circuit; null when `error` is neither. */
  describe(error: unknown): string | null {
    if (error instanceof IsolatedCircuitError && this.hold) {
      const seconds = Math.max(1, Math.ceil((this.hold.until - Date.now()) / 1000));
      return `${this.provider} asked us to wait (HTTP 429): not called for another ${seconds} s`;
    }
    if (error instanceof BrokenCircuitError) {
      return (
        `${this.provider} failed ${BREAKER_FAILURES} times in a row, so it is not called for ` +
        `${this.retryAfterMs / 1000} s (circuit open)` +
        (this.lastFailure ? `; last failure: ${this.lastFailure}` : '')
      );
    }
    return null;
  }

  /** A longer Retry-After replaces a shorter one. */
  private holdOpenFor(ms: number): void {
    const until = Date.now() + ms;
    if (this.hold && this.hold.until >= until) return;
    const previous = this.hold;
    const isolation = this.breaker.isolate();
    const timer = setTimeout(() => this.releaseHold(), ms);
    timer.unref();
    this.hold = {
      until,
      release: () => {
        clearTimeout(timer);
        isolation.dispose();
      },
    };
    previous?.release();
    this.logger.warn(
      `${this.provider} asked us to wait ${Math.ceil(ms / 1000)} s (HTTP 429 Retry-After): not called until ${new Date(until).toISOString()}`,
    );
  }

  private releaseHold(): void {
    this.hold?.release();
    this.hold = undefined;
  }
}
