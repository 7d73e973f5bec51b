import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection';

// The Lua scripts of WindowCounters.

/**
 * Add to each key (ARGV[2i-1] is KEYS[i]'s window in ms, ARGV[2i] the amount); a window's first
 * count starts its expiry. Returns each count and its time left. One round trip, atomic.
 */
const INCREMENT = `
local out = {}
for i, key in ipairs(KEYS) do
  local window = ARGV[2 * i - 1]
  local n = redis.call('INCRBY', key, ARGV[2 * i])
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = tonumber(window)
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out`;

/** Take one count back from each key, never below 0 and never creating a key (no expiry). */
const DECREMENT = `
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n > 0 then redis.call('DECR', key) end
end
return 0`;

/** A Lua script sent by its SHA1 (EVALSHA): 40 bytes a request instead of the whole text. */
class Script {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, or EVAL once when this Redis does not have the script yet (NOSCRIPT: restarted, flushed). */
  async run(
    client: RedisClient,
    options: { keys: string[]; arguments?: string[] },
  ): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, options);
    }
  }
}
export const INCREMENT_SCRIPT = new Script(INCREMENT);
export const DECREMENT_SCRIPT = new Script(DECREMENT);
