import { AppConfig, loadConfig } from '@app/config';
import { databaseUrl, TEMPLATE_ENV, withAdmin } from './database-admin';
import { randomBytes } from 'node:crypto';

/** Tests never reach the internet: unless a test points them at a fake, providers are a closed port. */
export const OFFLINE_WEATHER: Record<string, string> = {
  OPENWEATHERMAP_BASE_URL: 'http://127.0.0.1:9',
  OPEN_METEO_BASE_URL: 'http://127.0.0.1:9',
  OPEN_METEO_GEOCODING_BASE_URL: 'http://127.0.0.1:9',
  ZIPPOPOTAM_BASE_URL: 'http://127.0.0.1:9',
};

export interface TestDatabase {
  name: string;
  url: string;
  /** A config pointing at this database; `env` adds or overrides variables. */
  config(env?: Record<string, string>): AppConfig;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file. With `migrated` (default) it is copied from the template
 * that global setup migrated once, which takes milliseconds; without, it is empty.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = `shipments_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : process.env[TEMPLATE_ENV];
  if (!template)
    throw new Error(`${TEMPLATE_ENV} is not set: run the tests through jest's global setup`);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(name);
  return {
    name,
    url,
    config: (env = {}) => loadConfig({ DATABASE_URL: url, ...OFFLINE_WEATHER, ...env }),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
