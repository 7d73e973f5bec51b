import { AppConfig } from '@app/config';
import { LoggerService } from '@nestjs/common';
import pino, { Level, Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface Loggers {
  /** Nest's, Fastify's and our lines; every string passes `scrub`. */
  logger: Logger;
  /**
   * The access lines: same level, format and stream, without the scrubbing hook (about 20 µs a
   * request), since their fields are ours (route pattern, method, status, id), never free text.
   */
  accessLog: Logger;
}

/**
 * The API's loggers (pino): JSON lines by default, for log shippers; human-readable when stdout
 * is a terminal or LOG_FORMAT=pretty. Every string logged passes `scrub`, so a secret that
 * reaches a message anyway never leaves.
 */
export function createLoggers(
  config: AppConfig,
  destination: NodeJS.WritableStream | null = null,
): Loggers {
  const { logLevel } = config.observability;
  const prettyFormat = logsArePretty(config);
  const scrub = secretScrubber(config);
  const options: pino.LoggerOptions = {
    level: logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" for log shippers; pino-pretty reads pino's numbers.
    ...(prettyFormat ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
    // Nothing this service logs carries these, but a header or URL must never slip through.
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization'],
      censor: '[redacted]',
    },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((arg) => scrubValue(arg, scrub));
        method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  const stream = prettyFormat
    ? pretty({
        colorize: Boolean(process.stdout.isTTY) && !destination,
        destination: destination ?? 1,
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,context',
        messageFormat: '{if context}[{context}] {end}{msg}',
      })
    : (destination ?? bufferedStdout());
  return { logger: pino(options, stream), accessLog: pino({ ...options, hooks: {} }, stream) };
}

/** Bytes gathered before one write: at 2,000 requests a second, ~20 access lines per write. */
const LOG_BUFFER_BYTES = 4096;
/** The longest a line waits in that buffer on a quiet instance. */
const LOG_FLUSH_MS = 1000;

/**
 * Standard output, asynchronous and buffered: one write(2) per 4 KB instead of one per line (the
 * access log's largest cost under load, measured), flushed at least once a second and on exit.
 */
function bufferedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
  return stream;
}

/** LOG_FORMAT, or by default pretty on a terminal and JSON lines otherwise. */
export function logsArePretty(config: AppConfig): boolean {
  const { logFormat } = config.observability;
  return logFormat === 'pretty' || (logFormat === null && Boolean(process.stdout.isTTY));
}

/**
 * Replaces what must never be logged: the configured keys, tokens and passwords by value, and by
 * shape an `appid=` query value and the password of any URL.
 */
export function secretScrubber(config: AppConfig): (text: string) => string {
  const secrets = [
    ...config.apiKeys,
    config.weather.apiKey,
    config.observability.metricsToken,
    config.database.password,
    config.database.url ? safePassword(config.database.url) : null,
    config.redisUrl ? safePassword(config.redisUrl) : null,
  ].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
  const byValue = secrets.length
    ? new RegExp(
        secrets.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
        'g',
      )
    : null;
  return (text) => {
    let out = text;
    if (byValue) out = out.replace(byValue, '[redacted]');
    if (out.includes('appid=')) out = out.replace(/appid=[^&\s"']*/g, 'appid=[redacted]');
    if (out.includes('@'))
      out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s]*@/gi, '$1[redacted]@');
    return out;
  };
}

/** Strings, and the string fields of an object (an error's message and stack), one level deep. */
function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      typeof field === 'string'
        ? scrub(field)
        : field instanceof Error
          ? { type: field.name, message: scrub(field.message), stack: scrub(field.stack ?? '') }
          : field;
  }
  return out;
}

function safePassword(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

const LEVELS: Record<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal', Level> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's LoggerService over pino: `new Logger('Context').warn(...)` anywhere becomes a JSON line
 * with `context`. An object message (a security event) is logged as fields, its `msg` as text.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest calls (message, context) and, for errors, (message, stack, context). */
  private write(kind: keyof typeof LEVELS, message: unknown, rest: unknown[]): void {
    const level = LEVELS[kind];
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...rest];
    const context =
      params.length > 0 && typeof params.at(-1) === 'string' ? params.pop() : undefined;
    const stack = kind === 'error' && typeof params[0] === 'string' ? params[0] : undefined;
    const fields: Record<string, unknown> = { context, ...(stack ? { stack } : {}) };
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, ...event } = message as Record<string, unknown>;
      this.logger[level]({ ...fields, ...event }, typeof msg === 'string' ? msg : '');
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
