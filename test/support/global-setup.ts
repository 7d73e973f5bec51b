import './register-paths';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@app/shipments';
import { adminDatabaseUrl, databaseUrl, TEMPLATE_ENV, withAdmin } from './database-admin';

/**
 * With a PostgreSQL server (TEST_DATABASE_ADMIN_URL), migrates one template database per run;
 * each test file copies it (CREATE DATABASE ... TEMPLATE), so files run in parallel on clean,
 * isolated schemas. Without one, test databases are embedded PGlite instances (see database.ts),
 * unless REQUIRE_SERVICES=1 asks for the real server.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_REDIS_URL && process.env.REQUIRE_SERVICES !== '1') {
    console.log(
      '\nSkipping the specs that need Redis itself (weather cache, budget, locks): set TEST_REDIS_URL.',
    );
  }
  if (!adminDatabaseUrl()) {
    if (process.env.REQUIRE_SERVICES === '1') {
      throw new Error('REQUIRE_SERVICES=1 but TEST_DATABASE_ADMIN_URL is not set');
    }
    console.log(
      'No TEST_DATABASE_ADMIN_URL: test databases are embedded PGlite; the bench smoke run is skipped.',
    );
    return;
  }
  const name = `shipments_template_${process.pid}_${Date.now()}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl(name),
    migrations: MIGRATIONS,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
  process.env[TEMPLATE_ENV] = name;
}
