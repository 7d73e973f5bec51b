import { plainToInstance } from 'class-transformer';
import { resolve } from 'node:path';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables, LogLevel, SECRET_VARIABLES } from './env.schema';

export type { LogLevel } from './env.schema';

export type WeatherProviderName = 'openweathermap' | 'open-meteo';

export interface DatabaseConfig {
  /**
   * No DATABASE_URL and no POSTGRES_* variable: an embedded PostgreSQL (PGlite) in `embeddedDir`,
   * served over the wire protocol so the same driver and migrations run unchanged.
   */
  readonly embedded: boolean;
  readonly embeddedDir: string;
  /** A full connection URL; when set it wins over the discrete fields. */
  readonly url: string | null;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  readonly name: string;
  readonly poolSize: number;
  /** Read replicas (DATABASE_READ_URLS); empty: every read goes to the primary. */
  readonly readUrls: readonly string[];
  /** A replica further behind than this is skipped (DATABASE_MAX_REPLICA_LAG_MS). */
  readonly maxReplicaLagMs: number;
}

export interface WeatherConfig {
  readonly provider: WeatherProviderName;
  readonly apiKey: string | null;
  readonly openWeatherMapBaseUrl: string;
  readonly openMeteoBaseUrl: string;
  readonly openMeteoGeocodingBaseUrl: string;
  readonly zippopotamBaseUrl: string;
  readonly timeoutMs: number;
  readonly cacheTtlSeconds: number;
  readonly staleTtlSeconds: number;
  /** How long a transient failure is remembered per location, and the circuit stays open. */
  readonly retryAfterSeconds: number;
  readonly maxCallsPerMinute: number;
  readonly refreshCron: string;
  /** Expiry of the refresh lock: a dead holder's cycle is taken over within it. */
  readonly refreshLockTtlMs: number;
}

/** The in-process cache of assembled shipments (LookupCache); re-imports reach it within 1 s. */
export interface LookupCacheConfig {
  /** Most shipments kept (least recently used go first); 0: no cache. */
  readonly size: number;
  /** Longest an entry is kept, even while no import changes anything. */
  readonly ttlMs: number;
}

export interface EdgeConfig {
  /** Requests per client per minute to the public endpoints; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** Wrong zips by one client for one shipment in 15 minutes before the gate locks for it. */
  readonly zipAttemptsPerClient: number;
  /** Wrong zips for one shipment in an hour, from anyone, before the gate locks for everyone. */
  readonly zipAttemptsPerShipment: number;
  /**
   * Fastify's trustProxy: false (the socket's address is the client), a hop count, or the
   * addresses/CIDRs of the trusted proxies.
   */
  readonly trustProxy: false | number | readonly string[];
  /** Origins allowed by CORS: `*`, a list, or null for no CORS headers. */
  readonly corsOrigins: '*' | readonly string[] | null;
}

export interface ObservabilityConfig {
  /** Serve GET /metrics and record the HTTP metrics (METRICS_ENABLED). */
  readonly metricsEnabled: boolean;
  /** Bearer token /metrics requires; null: open. */
  readonly metricsToken: string | null;
  readonly logLevel: LogLevel;
  /** null: pretty on a terminal, JSON lines otherwise. */
  readonly logFormat: 'json' | 'pretty' | null;
}

/**
 * The validated, typed and frozen configuration. Used as the DI token: inject `AppConfig`, never
 * read `process.env` elsewhere.
 */
export abstract class AppConfig {
  declare readonly http: {
    readonly host: string;
    readonly port: number;
    /** After SIGTERM: readiness fails while requests are still served, so a balancer moves on. */
    readonly shutdownDelayMs: number;
  };
  declare readonly database: DatabaseConfig;
  /** Operator API keys (X-API-Key); empty means the operator endpoints are disabled. */
  declare readonly apiKeys: readonly string[];
  /** Redis URL; null means the in-process cache and lock (single instance only). */
  declare readonly redisUrl: string | null;
  declare readonly weather: WeatherConfig;
  /** Rate limits, the zip gate's lock-out, proxies and CORS. */
  declare readonly edge: EdgeConfig;
  declare readonly observability: ObservabilityConfig;
  /** Shipments per upsert statement of an import (IMPORT_BATCH_SIZE). */
  declare readonly importBatchSize: number;
  declare readonly lookupCache: LookupCacheConfig;
  /**
   * Whether an import parses its file on a worker thread (IMPORT_WORKER): a gain when PostgreSQL
   * runs on another machine, none when it shares this machine's cores (BENCHMARKS.md).
   */
  declare readonly importWorker: boolean;
  /** How often an import not on a terminal prints a progress line (IMPORT_PROGRESS_INTERVAL_MS). */
  declare readonly importProgressIntervalMs: number;
  /** The sample CSV imported into an empty database at API start (default: only when embedded). */
  declare readonly sampleData: { readonly importWhenEmpty: boolean; readonly file: string };
}

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const cache = new WeakMap<object, AppConfig>();

/**
 * Validates the environment, applies defaults and returns a frozen AppConfig. Results are cached
 * per env object, so calling it again with `process.env` is free.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): AppConfig {
  const cached = cache.get(env);
  if (cached) return cached;

  const vars = plainToInstance(
    EnvironmentVariables,
    { ...env },
    { excludeExtraneousValues: false },
  );
  const errors = validateSync(vars, { stopAtFirstError: true, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors[0], env));

  const apiKey = vars.WEATHER_API_KEY ?? null;
  const embedded =
    !vars.DATABASE_URL &&
    [
      vars.POSTGRES_HOST,
      vars.POSTGRES_PORT,
      vars.POSTGRES_USER,
      vars.POSTGRES_PASSWORD,
      vars.POSTGRES_DB,
    ].every((value) => value === undefined);
  const config: AppConfig = deepFreeze({
    http: {
      host: vars.HOST ?? '0.0.0.0',
      port: vars.PORT ?? 3000,
      shutdownDelayMs: vars.SHUTDOWN_DELAY_MS ?? 5000,
    },
    database: {
      embedded,
      embeddedDir: resolve(vars.EMBEDDED_DATABASE_DIR ?? '.data/pglite'),
      url: vars.DATABASE_URL ?? null,
      host: vars.POSTGRES_HOST ?? '127.0.0.1',
      port: vars.POSTGRES_PORT ?? 5432,
      user: vars.POSTGRES_USER ?? 'postgres',
      password: vars.POSTGRES_PASSWORD,
      name: vars.POSTGRES_DB ?? 'shipments',
      poolSize: vars.DATABASE_POOL_SIZE ?? 10,
      readUrls: list(vars.DATABASE_READ_URLS, false) ?? [],
      maxReplicaLagMs: vars.DATABASE_MAX_REPLICA_LAG_MS ?? 10_000,
    },
    apiKeys: (vars.API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key.length > 0),
    redisUrl: vars.REDIS_URL ?? null,
    weather: {
      provider: vars.WEATHER_PROVIDER ?? (apiKey ? 'openweathermap' : 'open-meteo'),
      apiKey,
      openWeatherMapBaseUrl: stripSlash(
        vars.OPENWEATHERMAP_BASE_URL ?? 'https://api.openweathermap.org',
      ),
      openMeteoBaseUrl: stripSlash(vars.OPEN_METEO_BASE_URL ?? 'https://api.open-meteo.com'),
      openMeteoGeocodingBaseUrl: stripSlash(
        vars.OPEN_METEO_GEOCODING_BASE_URL ?? 'https://geocoding-api.open-meteo.com',
      ),
      zippopotamBaseUrl: stripSlash(vars.ZIPPOPOTAM_BASE_URL ?? 'https://api.zippopotam.us'),
      timeoutMs: vars.WEATHER_TIMEOUT_MS ?? 3000,
      cacheTtlSeconds: vars.WEATHER_CACHE_TTL_SECONDS ?? 7200,
      staleTtlSeconds: vars.WEATHER_STALE_TTL_SECONDS ?? 86400,
      retryAfterSeconds: vars.WEATHER_RETRY_AFTER_SECONDS ?? 60,
      maxCallsPerMinute: vars.WEATHER_MAX_CALLS_PER_MINUTE ?? 60,
      refreshCron: vars.WEATHER_REFRESH_CRON ?? '0 */2 * * *',
      refreshLockTtlMs: vars.WEATHER_REFRESH_LOCK_TTL_MS ?? 60_000,
    },
    edge: {
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE ?? 600,
      zipAttemptsPerClient: vars.ZIP_ATTEMPTS_PER_CLIENT ?? 5,
      zipAttemptsPerShipment: vars.ZIP_ATTEMPTS_PER_SHIPMENT ?? 50,
      trustProxy: parseTrustProxy(vars.TRUST_PROXY),
      corsOrigins: vars.CORS_ORIGINS === '*' ? '*' : (list(vars.CORS_ORIGINS) ?? null),
    },
    observability: {
      metricsEnabled: vars.METRICS_ENABLED !== 'false',
      metricsToken: vars.METRICS_TOKEN ?? null,
      logLevel: vars.LOG_LEVEL ?? 'info',
      logFormat: vars.LOG_FORMAT ?? null,
    },
    importBatchSize: vars.IMPORT_BATCH_SIZE ?? 5000,
    lookupCache: {
      size: vars.LOOKUP_CACHE_SIZE ?? 10_000,
      ttlMs: vars.LOOKUP_CACHE_TTL_MS ?? 300_000,
    },
    importProgressIntervalMs: vars.IMPORT_PROGRESS_INTERVAL_MS ?? 5000,
    importWorker: vars.IMPORT_WORKER === 'true',
    sampleData: {
      importWhenEmpty: vars.IMPORT_SAMPLE_WHEN_EMPTY
        ? vars.IMPORT_SAMPLE_WHEN_EMPTY === 'true'
        : embedded,
      file: resolve(vars.SAMPLE_DATA_FILE ?? 'shipment.csv'),
    },
  });
  if (config.weather.provider === 'openweathermap' && !config.weather.apiKey) {
    throw new ConfigError('WEATHER_API_KEY: required when WEATHER_PROVIDER is openweathermap');
  }
  if (config.database.embedded && config.database.readUrls.length > 0) {
    throw new ConfigError(
      'DATABASE_READ_URLS: replicas need a primary; set DATABASE_URL (or POSTGRES_*) as well',
    );
  }
  cache.set(env, config);
  return config;
}

function describe(error: ValidationError, env: Record<string, string | undefined>): string {
  const variable = error.property;
  const reasons = Object.values(error.constraints ?? {})
    .map((reason) => reason.replace(new RegExp(`^${variable} `), ''))
    .join('; ');
  const shown = SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(env[variable])})`;
  return `${variable}: ${reasons || 'is invalid'}${shown}`;
}

function list(value: string | undefined, stripSlashes = true): string[] | undefined {
  const items = value
    ?.split(',')
    .map((item) => (stripSlashes ? item.trim().replace(/\/$/, '') : item.trim()))
    .filter(Boolean);
  return items?.length ? items : undefined;
}

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined) return false;
  return /^\d+$/.test(value) ? Number(value) : (list(value) ?? false);
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
