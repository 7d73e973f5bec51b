import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../libs/shipments/src/migrations';
import { databaseUrl, TEMPLATE_ENV, withAdmin } from './database-admin';

/**
 * Migrates one template database per test run; each test file copies it (CREATE DATABASE ...
 * TEMPLATE), so files run in parallel on clean, isolated schemas.
 */
export default async function globalSetup(): Promise<void> {
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
