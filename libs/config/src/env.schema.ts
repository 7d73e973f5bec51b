import { Transform } from 'class-transformer';
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

function IsConnectionUrl(protocols: readonly string[]): PropertyDecorator {
  return ValidateBy({
    name: 'isConnectionUrl',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && connectionUrlProblem(value, protocols) === null,
      defaultMessage: (args) =>
        connectionUrlProblem(String(args?.value), protocols) ?? 'is invalid',
    },
  });
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
}

/** Variables whose values must never be echoed in an error message. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'POSTGRES_PASSWORD',
  'API_KEYS',
  'REDIS_URL',
  'WEATHER_API_KEY',
]);
