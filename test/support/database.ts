import { AppConfig, loadConfig } from '@app/config';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@app/shipments';
import { adminDatabaseUrl, databaseUrl, TEMPLATE_ENV, withAdmin } from './database-admin';
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
 * A fresh database for one test file. On a PostgreSQL server (TEST_DATABASE_ADMIN_URL), with
 * `migrated` (default) it is copied from the template global setup migrated once; without, empty.
 * Without a server it is an in-memory PGlite served on 127.0.0.1, migrated here when asked.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  return adminDatabaseUrl()
    ? createServerDatabase(options.migrated !== false)
    : createEmbeddedDatabase(options.migrated !== false);
}

async function createServerDatabase(migrated: boolean): Promise<TestDatabase> {
  const name = `shipments_test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? process.env[TEMPLATE_ENV] : 'template0';
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

async function createEmbeddedDatabase(migrated: boolean): Promise<TestDatabase> {
  const server = spawn(process.execPath, [join(__dirname, 'embedded-postgres-server.js')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) resolve(ready[1]);
    });
    server.once('exit', (code) => reject(new Error(`embedded postgres exited with ${code}`)));
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (migrated) {
    const dataSource = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations().finally(() => dataSource.destroy());
  }
  return {
    name: 'embedded',
    url,
    config: (env = {}) => loadConfig({ DATABASE_URL: url, ...OFFLINE_WEATHER, ...env }),
    drop: async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
  };
}
