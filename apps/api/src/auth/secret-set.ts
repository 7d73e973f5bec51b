import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Secrets a request may present (operator keys, the metrics token), compared in constant time:
 * as digests, so neither their lengths nor the position of the first differing byte leaks
 * through timing, and against every secret, match or not.
 */
export class SecretSet {
  private readonly digests: Buffer[];

  constructor(secrets: readonly string[]) {
    this.digests = secrets.map(digest);
  }

  get empty(): boolean {
    return this.digests.length === 0;
  }

  has(candidate: string): boolean {
    const offered = digest(candidate);
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(known, offered) || found;
    return found;
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
