import { loadConfig } from '@app/config';
import { Writable } from 'node:stream';
import { createLoggers, PinoNestLogger, secretScrubber } from './logger';

/** The lines a logger wrote, parsed. */
function capture(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ LOG_FORMAT: 'json', ...env });
  return {
    logger: createLoggers(config, sink).logger,
    lines,
    json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('writes JSON lines with a level name, and Nest contexts, stacks and events as fields', () => {
    const { logger, json } = capture();
    const nest = new PinoNestLogger(logger);
    nest.log('started', 'NestApplication');
    nest.error('failed', 'Error: boom\n    at x', 'ProblemDetailsFilter');
    nest.warn({ msg: 'locked', event: 'zip_lockout', client: '192.0.2.1' }, 'Security');
    expect(json()).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'started' }),
      expect.objectContaining({
        level: 'error',
        context: 'ProblemDetailsFilter',
        stack: 'Error: boom\n    at x',
      }),
      expect.objectContaining({
        level: 'warn',
        context: 'Security',
        event: 'zip_lockout',
        client: '192.0.2.1',
        msg: 'locked',
      }),
    ]);
  });

  it('never writes a configured secret, an appid= value or a URL password', () => {
    const env = {
      API_KEYS: 'operator-key-AAAA,operator-key-BBBB',
      WEATHER_API_KEY: 'weather-key-CCCC',
      METRICS_TOKEN: 'metrics-token-DDDD-0123456789',
      DATABASE_URL: 'postgres://app:db-pass-EEEE@db.internal:5432/shipments',
      REDIS_URL: 'redis://:redis-pass-FFFF@cache:6379',
    };
    const { logger, lines } = capture(env);
    const nest = new PinoNestLogger(logger);
    nest.warn(
      'key operator-key-BBBB refused; GET https://api.example/x?lat=1&appid=abc123&units=metric',
    );
    nest.error(
      'connect failed: postgres://app:db-pass-EEEE@db.internal:5432',
      new Error('redis://u:other-pass@h').stack,
    );
    logger.info(
      { token: 'metrics-token-DDDD-0123456789', err: new Error('weather-key-CCCC') },
      'x',
    );
    const all = lines.join('\n');
    for (const secret of [
      'operator-key-BBBB',
      'abc123',
      'db-pass-EEEE',
      'other-pass',
      'metrics-token-DDDD',
      'weather-key-CCCC',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('appid=[redacted]&units=metric');
    expect(all).toContain('postgres://app:[redacted]@db.internal');
  });

  it('leaves text without secrets as it is', () => {
    const scrub = secretScrubber(loadConfig({}));
    expect(scrub('GET /api/v1/shipments/:carrier/:trackingNumber 200')).toBe(
      'GET /api/v1/shipments/:carrier/:trackingNumber 200',
    );
  });

  it('honours LOG_LEVEL', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'warn' });
    new PinoNestLogger(logger).log('not shown');
    logger.info('not shown either');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
  });
});
