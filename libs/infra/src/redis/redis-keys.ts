/**
 * Every key this service writes in Redis starts with this prefix, so it can share a Redis (and a
 * db) with other services, and an operator can find or drop its keys with one pattern.
 */
export const REDIS_KEY_PREFIX = 'shipments:';

/** `shipments:<part>:<part>...`: the one place key names are made. */
export function redisKey(...parts: string[]): string {
  return REDIS_KEY_PREFIX + parts.join(':');
}
