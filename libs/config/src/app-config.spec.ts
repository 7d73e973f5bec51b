import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('applies the documented defaults', () => {
    const sut = loadConfig({});
    expect(sut.http).toEqual({ host: '0.0.0.0', port: 3000, shutdownDelayMs: 5000 });
    expect(sut.database).toMatchObject({
      url: null,
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      name: 'shipments',
      readUrls: [],
      maxReplicaLagMs: 10_000,
    });
    expect(sut.apiKeys).toEqual([]);
    expect(sut.redisUrl).toBeNull();
    expect(sut.weather).toMatchObject({
      provider: 'open-meteo',
      apiKey: null,
      timeoutMs: 3000,
      cacheTtlSeconds: 7200,
      maxCallsPerMinute: 60,
      refreshCron: '0 */2 * * *',
      refreshLockTtlMs: 60_000,
    });
  });

  it('reads the cluster settings: replicas, their lag bound, the shutdown delay', () => {
    const sut = loadConfig({
      DATABASE_URL: 'postgres://app@primary/shipments',
      DATABASE_READ_URLS:
        ' postgres://app@replica-1/shipments , postgresql://app@replica-2:6432/shipments',
      DATABASE_MAX_REPLICA_LAG_MS: '2500',
      SHUTDOWN_DELAY_MS: '0',
      WEATHER_REFRESH_LOCK_TTL_MS: '3000',
    });
    expect(sut.database.readUrls).toEqual([
      'postgres://app@replica-1/shipments',
      'postgresql://app@replica-2:6432/shipments',
    ]);
    expect(sut.database.maxReplicaLagMs).toBe(2500);
    expect(sut.http.shutdownDelayMs).toBe(0);
    expect(sut.weather.refreshLockTtlMs).toBe(3000);
  });

  it('reads the POSTGRES_* variables like the original service', () => {
    const sut = loadConfig({
      POSTGRES_HOST: 'db',
      POSTGRES_PORT: '6543',
      POSTGRES_USER: 'u',
      POSTGRES_PASSWORD: 'p',
      POSTGRES_DB: 'd',
    });
    expect(sut.database).toMatchObject({
      url: null,
      host: 'db',
      port: 6543,
      user: 'u',
      password: 'p',
      name: 'd',
    });
  });

  it('keeps DATABASE_URL, which wins over POSTGRES_*', () => {
    const sut = loadConfig({ DATABASE_URL: 'postgres://a@b:5/c', POSTGRES_HOST: 'ignored' });
    expect(sut.database.url).toBe('postgres://a@b:5/c');
  });

  it('splits API_KEYS on commas and drops blanks', () => {
    expect(loadConfig({ API_KEYS: ' k1 ,, k2 ,' }).apiKeys).toEqual(['k1', 'k2']);
  });

  it('chooses OpenWeatherMap when a key is set', () => {
    expect(loadConfig({ WEATHER_API_KEY: 'abcdef123456' }).weather.provider).toBe('openweathermap');
  });

  it('returns a frozen object, cached per environment object', () => {
    const env = { PORT: '4000' };
    const sut = loadConfig(env);
    expect(Object.isFrozen(sut)).toBe(true);
    expect(Object.isFrozen(sut.database)).toBe(true);
    expect(loadConfig(env)).toBe(sut);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be a whole number from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ POSTGRES_PORT: '-1' }, /^POSTGRES_PORT: /],
    [
      { DATABASE_URL: 'mysql://x' },
      /^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL$/,
    ],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/],
    [{ WEATHER_PROVIDER: 'yahoo' }, /^WEATHER_PROVIDER: /],
    [{ WEATHER_PROVIDER: 'openweathermap' }, /^WEATHER_API_KEY: required/],
    [{ WEATHER_TIMEOUT_MS: '10' }, /^WEATHER_TIMEOUT_MS: /],
    [{ WEATHER_REFRESH_CRON: 'often' }, /^WEATHER_REFRESH_CRON: must be a cron expression/],
    [{ OPENWEATHERMAP_BASE_URL: 'not a url' }, /^OPENWEATHERMAP_BASE_URL: /],
    [
      { DATABASE_URL: 'postgres://user:pa%zzss@db:5432/shipments' },
      /^DATABASE_URL: the password has a broken percent-escape; write % as %25 and @ as %40$/,
    ],
    [
      { DATABASE_URL: 'postgres://user@db:99999/shipments' },
      /^DATABASE_URL: the port must be a number from 1 to 65535$/,
    ],
    [
      { DATABASE_URL: 'postgres://user@db:abc/shipments' },
      /^DATABASE_URL: the port must be a number from 1 to 65535$/,
    ],
    [{ DATABASE_URL: 'postgres://u%zz@db/x' }, /^DATABASE_URL: the user name has a broken/],
    [
      { REDIS_URL: 'redis://cache:70000' },
      /^REDIS_URL: the port must be a number from 1 to 65535$/,
    ],
    [{ IMPORT_BATCH_SIZE: '0' }, /^IMPORT_BATCH_SIZE: must be a whole number from 1 to 100000/],
    [{ IMPORT_WORKER: 'yes' }, /^IMPORT_WORKER: must be true or false/],
    [
      { IMPORT_PROGRESS_INTERVAL_MS: '5' },
      /^IMPORT_PROGRESS_INTERVAL_MS: must be a whole number from 100/,
    ],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /^RATE_LIMIT_PER_MINUTE: must be a whole number from 0/],
    [{ LOOKUP_CACHE_SIZE: '-5' }, /^LOOKUP_CACHE_SIZE: must be a whole number from 0/],
    [{ LOOKUP_CACHE_TTL_MS: '0' }, /^LOOKUP_CACHE_TTL_MS: must be a whole number from 1/],
    [{ ZIP_ATTEMPTS_PER_CLIENT: '0' }, /^ZIP_ATTEMPTS_PER_CLIENT: must be a whole number from 1/],
    [{ ZIP_ATTEMPTS_PER_SHIPMENT: 'many' }, /^ZIP_ATTEMPTS_PER_SHIPMENT: /],
    [{ TRUST_PROXY: 'yes' }, /^TRUST_PROXY: "yes" is not an address, a CIDR/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /^TRUST_PROXY: "10.0.0.0\/33" is not an address/],
    [{ TRUST_PROXY: '0' }, /^TRUST_PROXY: a hop count must be from 1 to 100/],
    [{ CORS_ORIGINS: 'shop.example' }, /^CORS_ORIGINS: "shop.example" is not an origin/],
    [{ CORS_ORIGINS: 'https://shop.example/path' }, /^CORS_ORIGINS: .* is not an origin/],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN: must be at least 16 characters$/],
    [{ METRICS_ENABLED: 'on' }, /^METRICS_ENABLED: must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of fatal, error, warn, info/],
    [{ LOG_FORMAT: 'xml' }, /^LOG_FORMAT: must be json or pretty/],
    [
      { DATABASE_URL: 'postgres://db/x', DATABASE_READ_URLS: 'postgres://r1/x,mysql://r2/x' },
      /^DATABASE_READ_URLS: entry 2 must be a postgres:\/\/ or postgresql:\/\/ URL$/,
    ],
    [
      { DATABASE_URL: 'postgres://db/x', DATABASE_READ_URLS: 'postgres://r1/x,' },
      /^DATABASE_READ_URLS: entry 2 is empty$/,
    ],
    [{ DATABASE_READ_URLS: 'postgres://r1/x' }, /^DATABASE_READ_URLS: replicas need a primary/],
    [{ DATABASE_MAX_REPLICA_LAG_MS: '5' }, /^DATABASE_MAX_REPLICA_LAG_MS: must be a whole number/],
    [{ SHUTDOWN_DELAY_MS: '-1' }, /^SHUTDOWN_DELAY_MS: must be a whole number from 0/],
    [{ WEATHER_REFRESH_LOCK_TTL_MS: '10' }, /^WEATHER_REFRESH_LOCK_TTL_MS: must be a whole/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads the lookup cache: 10,000 shipments for five minutes by default, 0 for none', () => {
    expect(loadConfig({}).lookupCache).toEqual({ size: 10_000, ttlMs: 300_000 });
    expect(loadConfig({ LOOKUP_CACHE_SIZE: '0', LOOKUP_CACHE_TTL_MS: '5000' }).lookupCache).toEqual(
      { size: 0, ttlMs: 5000 },
    );
  });

  it('reads the edge: proxies as hops or a list, CORS origins, limits, logs, metrics', () => {
    expect(loadConfig({}).edge).toEqual({
      rateLimitPerMinute: 600,
      zipAttemptsPerClient: 5,
      zipAttemptsPerShipment: 50,
      trustProxy: false,
      corsOrigins: null,
    });
    expect(loadConfig({ TRUST_PROXY: '2' }).edge.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).edge.trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
    expect(loadConfig({ CORS_ORIGINS: '*' }).edge.corsOrigins).toBe('*');
    expect(
      loadConfig({ CORS_ORIGINS: 'https://shop.example/, http://localhost:8080' }).edge.corsOrigins,
    ).toEqual(['https://shop.example', 'http://localhost:8080']);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).edge.rateLimitPerMinute).toBe(0);
    expect(loadConfig({}).observability).toEqual({
      metricsEnabled: true,
      metricsToken: null,
      logLevel: 'info',
      logFormat: null,
    });
  });

  it('accepts percent-encoded credentials and the usual URL shapes', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgresql://user:p%40ss%25@db.internal:6432/shipments' })
        .database.url,
    ).toBe('postgresql://user:p%40ss%25@db.internal:6432/shipments');
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@cache:6380/2' }).redisUrl).toBe(
      'rediss://:secret@cache:6380/2',
    );
  });

  it('never echoes a secret value', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://user:hunter2%zz@host/db' })).toThrow(
      /^DATABASE_URL: (?!.*hunter2)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@host/db' })).toThrow(
      /^DATABASE_URL: (?!.*hunter2)/,
    );
  });
});
