import { Client } from 'pg';

/**
 * The PostgreSQL server the tests may create databases on: TEST_DATABASE_ADMIN_URL (CI makes it
 * fresh). Without it the tests run on embedded PGlite instances, one per test database.
 */
export function adminDatabaseUrl(): string | null {
  return process.env.TEST_DATABASE_ADMIN_URL ?? null;
}

export const TEMPLATE_ENV = 'TEST_DATABASE_TEMPLATE';

export function databaseUrl(name: string): string {
  const url = new URL(adminDatabaseUrl() ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl() ?? undefined });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
