import { createTestDatabase, TestDatabase } from '../support/database';
import { SAMPLE_CSV } from '../support/paths';
import { runCli, startApi } from '../support/processes';

describe('API (built, as a process)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db.drop());

  it('migrates on start, serves imported shipments and stops cleanly on SIGTERM', async () => {
    const api = await startApi({ DATABASE_URL: db.url });
    try {
      expect((await runCli(['import', SAMPLE_CSV], { DATABASE_URL: db.url })).code).toBe(0);
      const res = await fetch(`${api.url}/api/v1/shipments/DHL/TN12345678`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        trackingNumber: 'TN12345678',
        receiver: { zip: '75001', countryCode: 'FR' },
      });
      expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
    } finally {
      expect(await api.stop()).toBe(0);
    }
  });

  it('starts twice at once on an empty database (migrations under a lock)', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const apis = await Promise.all([
        startApi({ DATABASE_URL: fresh.url }),
        startApi({ DATABASE_URL: fresh.url }),
      ]);
      for (const api of apis) expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
      await Promise.all(apis.map((api) => api.stop()));
    } finally {
      await fresh.drop();
    }
  });

  it('refuses to start with one line naming a bad variable', async () => {
    await expect(startApi({ DATABASE_URL: db.url, PORT: 'eighty' })).rejects.toThrow(
      /exited with 1 before listening:\napi: PORT: must be a whole number from 1 to 65535 \(got "eighty"\)\n$/,
    );
  });
});
