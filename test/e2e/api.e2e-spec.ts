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
      const body = (await res.json()) as { receiver: object; sender: object };
      expect(body).toMatchObject({ trackingNumber: 'TN12345678' });
      // The public view: no postcode or street line of either party.
      expect(body.receiver).toEqual({ city: 'Paris', country: 'France', countryCode: 'FR' });
      expect(body.sender).toEqual({ city: 'Berlin', country: 'Germany', countryCode: 'DE' });
      expect(JSON.stringify(body)).not.toMatch(/75001|10115|Street/);
      // The receiver's postcode unlocks the full view.
      const full = await fetch(`${api.url}/api/v1/shipments/DHL/TN12345678?zip=75001`);
      expect(await full.json()).toMatchObject({
        receiver: { zip: '75001', address: 'Street 10, 75001 Paris, France' },
        sender: { zip: '10115', address: 'Street 1, 10115 Berlin, Germany' },
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
