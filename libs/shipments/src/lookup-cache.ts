import { AppConfig } from '@app/config';
import { Metrics } from '@app/infra';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ShipmentsRepository, VersionedRecord } from './shipments.repository';
import { ShipmentWithHistory } from './shipment.types';

/** How often each instance reads the shipments' version. */
export const VERSION_POLL_MS = 250;
/**
 * The freshness bound: a committed import is seen by every lookup of every instance within this
 * time. Entries are served only while a version read that started less than
 * FRESHNESS_MS - VERSION_POLL_MS ago has answered, so neither a slow poll nor a database that is
 * away can stretch it.
 */
export const FRESHNESS_MS = 1000;

/**
 * Assembled shipments in process, so a repeated lookup skips PostgreSQL. Only the record is kept
 * (never a view, never the weather): both views are made per request from it, and the weather
 * has its own freshness. An import bumps the shipments' version in its own transaction; each
 * instance polls that version (one prepared one-row read every VERSION_POLL_MS, only once it
 * serves lookups) and drops everything when it moves.
 */
@Injectable()
export class LookupCache implements OnModuleDestroy {
  private readonly logger = new Logger(LookupCache.name);
  private readonly entries: LRUCache<string, ShipmentWithHistory> | null;
  private version: string | null = null;
  /** When the last version read that answered was sent. */
  private confirmedAt = 0;
  /** Moves on every drop: a database read that started before it must not fill the cache. */
  private generation = 0;
  private poller: NodeJS.Timeout | undefined;
  /** When the version read under way was sent; null when none is. */
  private pollSentAt: number | null = null;
  private pollFailing = false;

  constructor(
    config: AppConfig,
    private readonly repository: ShipmentsRepository,
    private readonly metrics: Metrics,
  ) {
    const { size, ttlMs } = config.lookupCache;
    this.entries = size > 0 ? new LRUCache({ max: size, ttl: ttlMs }) : null;
  }

  /**
   * The shipment from the cache while it is known to be fresh, else from `load`, kept when it
   * was read at the version this instance knows (a replica behind it, or an import committed
   * since the last poll, is not kept).
   */
  async find(
    carrier: string,
    trackingNumber: string,
    load: () => Promise<VersionedRecord | null>,
  ): Promise<ShipmentWithHistory | null> {
    if (!this.entries) return (await load())?.record ?? null;
    this.poller ??= this.startPolling();
    if (Date.now() - this.confirmedAt >= FRESHNESS_MS - VERSION_POLL_MS) {
      this.metrics.lookupCache.inc({ result: 'bypass' });
      return (await load())?.record ?? null;
    }
    // Exact keys: the database decides what matches case-insensitively, the cache never does.
    const key = `${carrier}\u0000${trackingNumber}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.metrics.lookupCache.inc({ result: 'hit' });
      return cached;
    }
    this.metrics.lookupCache.inc({ result: 'miss' });
    const generation = this.generation;
    const loaded = await load();
    if (loaded && generation === this.generation && loaded.version === this.version) {
      this.entries.set(key, loaded.record);
    }
    return loaded?.record ?? null;
  }

  onModuleDestroy(): void {
    clearInterval(this.poller);
  }

  private startPolling(): NodeJS.Timeout {
    void this.poll();
    return setInterval(() => void this.poll(), VERSION_POLL_MS).unref();
  }

  private async poll(): Promise<void> {
    const sentAt = Date.now();
    // A read that has not answered yet is not sent again behind itself (it would only queue),
    // unless it has hung for longer than the bound.
    if (this.pollSentAt !== null && sentAt - this.pollSentAt < FRESHNESS_MS) return;
    this.pollSentAt = sentAt;
    try {
      const version = await this.repository.version();
      if (sentAt < this.confirmedAt) return; // a later read has answered already
      if (version !== this.version) {
        if (this.version !== null) this.drop();
        this.version = version;
      }
      this.confirmedAt = sentAt;
      if (this.pollFailing) this.logger.log('Shipments version readable again: lookup cache on');
      this.pollFailing = false;
    } catch (error) {
      // Lookups go to the database meanwhile (and say so there, if it is away).
      if (!this.pollFailing)
        this.logger.warn(
          `Cannot read the shipments version (${(error as Error).message}): lookup cache off until it answers`,
        );
      this.pollFailing = true;
    } finally {
      if (this.pollSentAt === sentAt) this.pollSentAt = null;
    }
  }

  private drop(): void {
    this.generation++;
    this.entries?.clear();
  }
}
