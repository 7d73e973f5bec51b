import { Transform } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() || undefined : value;
/** The first entry's problem, named by its position, or null; an empty entry is one too. */
function listProblem(value: string, problem: (entry: string) => string | null): string | null {
  const entries = value.split(',').map((entry) => entry.trim());
  for (const [index, entry] of entries.entries()) {
    const found = entry ? problem(entry) : 'is empty';
    if (found) return `entry ${index + 1} ${found}`;
  }
  return null;
}

/** One rule, one message: "must be a whole number from 1 to 65535". */
function IntRange(min: number, max: number): PropertyDecorator {
  const message = `must be a whole number from ${min} to ${max}`;
  return (target, key) => {
    IsInt({ message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

/**
 * What is wrong with a connection URL, or null: parsed as the drivers will parse it, so a bad
 * port or a broken percent-escape stops the start with one line instead of a driver's retries.
 */
export function connectionUrlProblem(value: string, protocols: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The WHATWG parser refuses a port over 65535 or not a number: say that, it's the usual slip.
    const hasPort = /^[a-z]+:\/\/(?:[^@/]*@)?[^:/@]+:[^/?#]*/i.test(value);
    return hasPort ? 'the port must be a number from 1 to 65535' : 'is not a valid URL';
  }
  if (!protocols.includes(url.protocol)) {
    return `must be a ${protocols.map((protocol) => `${protocol}//`).join(' or ')} URL`;
  }
  if (!url.hostname) return 'has no host';
  if (url.port !== '' && Number(url.port) === 0) return 'the port must be a number from 1 to 65535';
  for (const [part, text] of [
    ['user name', url.username],
    ['password', url.password],
    ['database name', url.pathname],
  ] as const) {
    try {
      decodeURIComponent(text);
    } catch {
      return `the ${part} has a broken percent-escape; write % as %25 and @ as %40`;
    }
  }
  return null;
}

/** A rule given as "what is wrong with this value, or null": its answer is the message. */
function HasNoProblem(name: string, problem: (value: string) => string | null): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && problem(value) === null,
      defaultMessage: (args) => problem(String(args?.value)) ?? 'is invalid',
    },
  });
}

function IsConnectionUrl(protocols: readonly string[]): PropertyDecorator {
  return HasNoProblem('isConnectionUrl', (value) => connectionUrlProblem(value, protocols));
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Names proxy-addr (Fastify's trustProxy) knows for whole address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What is wrong with TRUST_PROXY, or null: a hop count, or addresses, CIDRs and range names. */
export function trustProxyProblem(value: string): string | null {
  if (/^\d+$/.test(value)) {
    return Number(value) >= 1 && Number(value) <= 100 ? null : 'a hop count must be from 1 to 100';
  }
  for (const entry of value.split(',').map((part) => part.trim())) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const prefixOk =
      prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (PROXY_RANGE_NAMES.has(entry)) continue;
    if (family === 0 || !prefixOk || extra !== undefined) {
      return (
        `"${entry}" is not an address, a CIDR (10.0.0.0/8) or one of loopback, linklocal, ` +
        'uniquelocal; write a hop count (1) or a comma-separated list'
      );
    }
  }
  return null;
}

/** What is wrong with CORS_ORIGINS, or null: `*`, or origins like `https://shop.example`. */
export function corsOriginsProblem(value: string): string | null {
  if (value === '*') return null;
  for (const entry of value.split(',').map((part) => part.trim())) {
    let origin: string | null = null;
    try {
      const url = new URL(entry);
      origin = ['http:', 'https:'].includes(url.protocol) ? url.origin : null;
    } catch {
      origin = null;
    }
    if (origin !== entry.replace(/\/$/, '')) {
      return `"${entry}" is not an origin; write scheme://host[:port] with no path, e.g. https://shop.example, or *`;
    }
  }
  return null;
}

const urlOptions = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable the service reads, with its rule. The README's configuration table
 * and `.env.example` list the same variables; keep the three in step.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 65535)
  PORT?: number;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  HOST?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsConnectionUrl(['postgres:', 'postgresql:'])
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  POSTGRES_HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 65535)
  POSTGRES_PORT?: number;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  POSTGRES_USER?: string;

  @IsOptional()
  @IsString()
  POSTGRES_PASSWORD?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  POSTGRES_DB?: string;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 200)
  DATABASE_POOL_SIZE?: number;

  /** Comma-separated postgres:// URLs of read replicas: lookups and the list read from them. */
  @IsOptional()
  @Transform(trimmed)
  @HasNoProblem('isConnectionUrlList', (value) =>
    listProblem(value, (url) => connectionUrlProblem(url, ['postgres:', 'postgresql:'])),
  )
  DATABASE_READ_URLS?: string;

  /** A replica further behind the primary than this (ms) is skipped until it catches up. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(100, 3_600_000)
  DATABASE_MAX_REPLICA_LAG_MS?: number;

  /** After SIGTERM, how long readiness fails while requests are still served (ms). */
  @IsOptional()
  @Transform(toInt)
  @IntRange(0, 600_000)
  SHUTDOWN_DELAY_MS?: number;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  EMBEDDED_DATABASE_DIR?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  IMPORT_SAMPLE_WHEN_EMPTY?: 'true' | 'false';

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  SAMPLE_DATA_FILE?: string;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 100000)
  IMPORT_BATCH_SIZE?: number;

  /** Parse an import's file on a worker thread. */
  @IsOptional()
  @Transform(trimmed)
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  IMPORT_WORKER?: 'true' | 'false';

  /** How often an import off a terminal prints a progress line (ms). */
  @IsOptional()
  @Transform(toInt)
  @IntRange(100, 3600000)
  IMPORT_PROGRESS_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  API_KEYS?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsConnectionUrl(['redis:', 'rediss:'])
  REDIS_URL?: string;

  /** Shipments the API keeps assembled in memory for repeated lookups; 0 turns the cache off. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(0, 1_000_000)
  LOOKUP_CACHE_SIZE?: number;

  /** Longest an assembled shipment stays in that cache, in milliseconds. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 3_600_000)
  LOOKUP_CACHE_TTL_MS?: number;

  /** Requests per client per minute to the public endpoints; 0 turns the limit off. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(0, 1_000_000_000)
  RATE_LIMIT_PER_MINUTE?: number;

  /** Wrong zips per client and shipment in 15 minutes before that client is locked out. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 1000)
  ZIP_ATTEMPTS_PER_CLIENT?: number;

  /** Wrong zips per shipment in an hour, from anyone, before the shipment's zip gate locks. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 1_000_000)
  ZIP_ATTEMPTS_PER_SHIPMENT?: number;

  /** A hop count, or the addresses/CIDRs of the proxies whose X-Forwarded-For is believed. */
  @IsOptional()
  @Transform(trimmed)
  @HasNoProblem('isTrustProxy', trustProxyProblem)
  TRUST_PROXY?: string;

  /** `*`, or the comma-separated origins allowed to call the API from a browser. */
  @IsOptional()
  @Transform(trimmed)
  @HasNoProblem('isCorsOrigins', corsOriginsProblem)
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  METRICS_ENABLED?: 'true' | 'false';

  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @Transform(trimmed)
  @IsIn(['json', 'pretty'], { message: 'must be json or pretty' })
  LOG_FORMAT?: 'json' | 'pretty';

  @IsOptional()
  @Transform(trimmed)
  @IsIn(['openweathermap', 'open-meteo'], { message: 'must be openweathermap or open-meteo' })
  WEATHER_PROVIDER?: 'openweathermap' | 'open-meteo';

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  WEATHER_API_KEY?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsUrl(urlOptions, { message: 'must be an http:// or https:// URL' })
  OPENWEATHERMAP_BASE_URL?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsUrl(urlOptions, { message: 'must be an http:// or https:// URL' })
  OPEN_METEO_BASE_URL?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsUrl(urlOptions, { message: 'must be an http:// or https:// URL' })
  OPEN_METEO_GEOCODING_BASE_URL?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsUrl(urlOptions, { message: 'must be an http:// or https:// URL' })
  ZIPPOPOTAM_BASE_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IntRange(50, 60000)
  WEATHER_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 7 * 24 * 3600)
  WEATHER_CACHE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 30 * 24 * 3600)
  WEATHER_STALE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 3600)
  WEATHER_RETRY_AFTER_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IntRange(1, 100000)
  WEATHER_MAX_CALLS_PER_MINUTE?: number;

  @IsOptional()
  @Transform(trimmed)
  @Matches(/^(\S+\s+){4,5}\S+$/, {
    message: 'must be a cron expression with 5 or 6 fields, e.g. "0 */2 * * *"',
  })
  WEATHER_REFRESH_CRON?: string;

  /** Expiry of the refresh's lock: how soon another instance takes over from one that died. */
  @IsOptional()
  @Transform(toInt)
  @IntRange(1000, 3_600_000)
  WEATHER_REFRESH_LOCK_TTL_MS?: number;
}

/** Variables whose values must never be echoed in an error message. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'POSTGRES_PASSWORD',
  'API_KEYS',
  'REDIS_URL',
  'DATABASE_READ_URLS',
  'WEATHER_API_KEY',
  'METRICS_TOKEN',
]);
