import { AppConfig } from '@app/config';
import { Logger, logsArePretty } from './logging/logger';

/**
 * What a newcomer needs after `npm start`: where to go, and what runs embedded. On a terminal
 * (pretty logs) it is a block of text; with JSON logs it is one JSON line like every other.
 */
export function printBanner(
  config: AppConfig,
  example: { carrier: string; trackingNumber: string } | null,
  logger: Logger,
): void {
  const base = `http://localhost:${config.http.port}`;
  const { database, weather } = config;
  const databaseLine = database.embedded
    ? `embedded PostgreSQL (PGlite) in ${database.embeddedDir}; set DATABASE_URL for a server`
    : `PostgreSQL at ${describeDatabase(config)}`;
  const cacheLine = config.redisUrl
    ? `Redis at ${new URL(config.redisUrl).host}`
    : 'in-process (one instance); set REDIS_URL for Redis';
  const weatherLine =
    weather.provider === 'openweathermap'
      ? 'OpenWeatherMap'
      : 'Open-Meteo (keyless); set WEATHER_API_KEY for OpenWeatherMap';
  const metricsLine = !config.observability.metricsEnabled
    ? 'off (METRICS_ENABLED=false)'
    : `${base}/metrics${config.observability.metricsToken ? ' (bearer token)' : ''}`;
  const fields = {
    api: `${base}/api/v1/shipments`,
    swaggerUi: `${base}/api/docs`,
    trackingPage: example
      ? `${base}/track/${encodeURIComponent(example.carrier)}/${encodeURIComponent(example.trackingNumber)}`
      : `${base}/track`,
    try: example
      ? `${base}/api/v1/shipments/${encodeURIComponent(example.carrier)}/${encodeURIComponent(example.trackingNumber)}`
      : 'import shipments first: npm run cli -- import shipment.csv',
    metrics: metricsLine,
    database: databaseLine,
    cache: cacheLine,
    weather: weatherLine,
  };
  if (!logsArePretty(config)) {
    // Said even at LOG_LEVEL=warn (once per start, and what deployments wait for); not when silent.
    const level = config.observability.logLevel === 'silent' ? 'silent' : 'info';
    logger.child({ context: 'Banner' }, { level }).info(fields, 'Shipment tracking API is up');
    return;
  }
  const lines = [
    '',
    'Shipment tracking API is up',
    `  API         ${fields.api}`,
    `  Swagger UI  ${fields.swaggerUi}`,
    `  Tracking    ${fields.trackingPage}`,
    `  Try         ${fields.try}`,
    `  Metrics     ${fields.metrics}`,
    `  Database    ${fields.database}`,
    `  Cache       ${fields.cache}`,
    `  Weather     ${fields.weather}`,
    '',
  ];
  // After the log lines written so far (pretty logs are written synchronously).
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeDatabase({ database }: AppConfig): string {
  if (database.url) {
    const url = new URL(database.url);
    return `${url.host}${url.pathname}`;
  }
  return `${database.host}:${database.port}/${database.name}`;
}
