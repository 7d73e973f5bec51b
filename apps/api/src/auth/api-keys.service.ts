import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Checks operator API keys (X-API-Key) in constant time. */
@Injectable()
export class ApiKeysService {
  private readonly digests: Buffer[];

  constructor(config: AppConfig) {
    this.digests = config.apiKeys.map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /**
   * Compares digests, so neither the keys' lengths nor the position of the first differing byte
   * leaks through timing; every configured key is compared, match or not.
   */
  isValid(candidate: string): boolean {
    const offered = digest(candidate);
    let valid = false;
    for (const known of this.digests) valid = timingSafeEqual(known, offered) || valid;
    return valid;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
