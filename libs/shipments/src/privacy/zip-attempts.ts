import { AppConfig } from '@app/config';
import { Metrics, WindowCounters } from '@app/infra';
import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ZipAttemptsExceededError } from '../shipments.errors';

const PER_CLIENT_WINDOW_MS = 15 * 60_000;
const PER_SHIPMENT_WINDOW_MS = 60 * 60_000;

/** The shipment (and client) a zip is tried against, as the lookup found it. */
export interface ZipAttempt {
  client: string;
  carrier: string;
  trackingNumber: string;
}

/** A zip attempt under way: say how it ended. */
export interface ZipAttemptTicket {
  /** The zip was right: it does not count as a wrong attempt. */
  succeeded(): Promise<void>;
}

/**
 * The privacy gate's brute-force lock: at most ZIP_ATTEMPTS_PER_CLIENT wrong zips by one client
 * for one shipment in 15 minutes, and ZIP_ATTEMPTS_PER_SHIPMENT from anyone in an hour. Past
 * either, every zip for that shipment is refused (429) until the window ends, the right one too,
 * so guessing can't go on; the lookup without zip is untouched.
 *
 * Each attempt is counted before the zip is compared and taken back when it was right, so a
 * burst of parallel guesses can't slip past the limit between a check and a count. The counts
 * live in Redis (every instance shares them), in process without it. Each lock-out is logged once,
 * as a security event, by the request that first hit it; the zips tried are never logged.
 */
@Injectable()
export class ZipAttempts {
  private readonly logger = new Logger('Security');

  constructor(
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Counts an attempt at the shipment's zip.
   * @throws ZipAttemptsExceededError when the client or the shipment is locked out.
   */
  async begin(attempt: ZipAttempt): Promise<ZipAttemptTicket> {
    const { zipAttemptsPerClient, zipAttemptsPerShipment } = this.config.edge;
    const shipment = digest(`${attempt.carrier}\n${attempt.trackingNumber}`.toLowerCase());
    // The client's window first: when both are over, the client hears about its own.
    const windows = [
      {
        scope: 'client' as const,
        name: `zip:client:${digest(attempt.client)}:${shipment}`,
        windowMs: PER_CLIENT_WINDOW_MS,
        limit: zipAttemptsPerClient,
        words: 'in 15 minutes by one client',
      },
      {
        scope: 'shipment' as const,
        name: `zip:shipment:${shipment}`,
        windowMs: PER_SHIPMENT_WINDOW_MS,
        limit: zipAttemptsPerShipment,
        words: 'in an hour from anyone',
      },
    ];
    const counts = await this.counters.incrementAll(windows);
    const over = windows
      .map((window, index) => ({ ...window, ...counts[index] }))
      .filter(({ count, limit }) => count > limit);
    if (over.length === 0) {
      return { succeeded: () => this.counters.decrementAll(windows.map(({ name }) => name)) };
    }
    for (const { scope, count, limit, words } of over) {
      // The request that first went past the limit says so; the ones after it don't.
      if (count === limit + 1) {
        this.logger.warn({
          msg: `Zip gate locked for a shipment: ${limit} wrong zips ${words}`,
          event: 'zip_lockout',
          scope,
          client: attempt.client,
          carrier: attempt.carrier,
          trackingNumber: attempt.trackingNumber,
        });
      }
    }
    this.metrics.rateLimitedRequests.inc({ reason: 'zip_attempts' });
    const resetMs = Math.max(...over.map((window) => window.resetMs));
    throw new ZipAttemptsExceededError(over[0].scope, Math.max(1, Math.ceil(resetMs / 1000)));
  }
}

/** Keys of a fixed length that show neither the client's address nor the tracking number. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
