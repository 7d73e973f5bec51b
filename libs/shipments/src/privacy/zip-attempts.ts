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
    const names = [`zip:client:${digest(attempt.client)}:${shipment}`, `zip:shipment:${shipment}`];
    const [byClient, byShipment] = await this.counters.incrementAll([
      { name: names[0], windowMs: PER_CLIENT_WINDOW_MS },
      { name: names[1], windowMs: PER_SHIPMENT_WINDOW_MS },
    ]);
    const over = [
      {
        scope: 'client',
        count: byClient,
        limit: zipAttemptsPerClient,
        window: 'in 15 minutes by one client',
      },
      {
        scope: 'shipment',
        count: byShipment,
        limit: zipAttemptsPerShipment,
        window: 'in an hour from anyone',
      },
    ].filter(({ count, limit }) => count.count > limit);
    if (over.length > 0) {
      for (const { scope, count, limit, window } of over) {
        if (count.count === limit + 1) {
          this.logger.warn({
            msg: `Zip gate locked for a shipment: ${limit} wrong zips ${window}`,
            event: 'zip_lockout',
            scope,
            client: attempt.client,
            carrier: attempt.carrier,
            trackingNumber: attempt.trackingNumber,
          });
        }
      }
      this.metrics.rateLimitedRequests.inc({ reason: 'zip_attempts' });
      const resetMs = Math.max(...over.map(({ count }) => count.resetMs));
      throw new ZipAttemptsExceededError(
        over.some(({ scope }) => scope === 'client') ? 'client' : 'shipment',
        Math.max(1, Math.ceil(resetMs / 1000)),
      );
    }
    return { succeeded: () => this.counters.decrementAll(names) };
  }
}

/** Keys of a fixed length that show neither the client's address nor the tracking number. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
