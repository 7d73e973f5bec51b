import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../libs/shipments/src/migrations';
import { adminDatabaseUrl, databaseUrl, TEMPLATE_ENV, withAdmin } from './database-admin';

/**
 * With a PostgreSQL server (TEST_DATABASE_ADMIN_URL), migrates one template database per run;
 * each test file copies it (CREATE DATABASE ... TEMPLATE), so files run in parallel on clean,
 * isolated schemas. Without one, test databases are embedded PGlite instances (see database.ts),
 * unless REQUIRE_SERVICES=1 asks for the real server.
 */
export default async function globalSetup(): Promise<void> {
  if (!adminDatabaseUrl()) {
    if (process.env.REQUIRE_SERVICES === '1') {
      throw new Error('REQUIRE_SERVICES=1 but TEST_DATABASE_ADMIN_URL is not set');
    }
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
