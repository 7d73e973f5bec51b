import { AppConfig } from '@app/config';

/** What a newcomer needs after `npm start`: where to go, and what runs embedded. */
export function printBanner(
  config: AppConfig,
  example: { carrier: string; trackingNumber: string } | null,
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
  const lines = [
    '',
    'Shipment tracking API is up',
    `  API         ${base}/api/v1/shipments`,
    `  Swagger UI  ${base}/api/docs`,
    ...(example
      ? [
          `  Try         ${base}/api/v1/shipments/${encodeURIComponent(example.carrier)}/${encodeURIComponent(example.trackingNumber)}`,
        ]
      : ['  Try         import shipments first: npm run cli -- import shipment.csv']),
    `  Database    ${databaseLine}`,
    `  Cache       ${cacheLine}`,
    `  Weather     ${weatherLine}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeDatabase({ database }: AppConfig): string {
  if (database.url) {
    const url = new URL(database.url);
    return `${url.host}${url.pathname}`;
  }
  return `${database.host}:${database.port}/${database.name}`;
}
