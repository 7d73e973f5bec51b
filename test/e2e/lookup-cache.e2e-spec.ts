import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { RunningApi, runCli, startApi } from '../support/processes';

const HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';
const csv = (status: string, article = 'Laptop') =>
  `${HEADER}\nTNC1,DHL,"Street 1, 10115 Berlin, Germany","Rue 2, 75001 Paris, France",${article},1,800.00,LP-1,${status}\n`;

/** The freshness bound of the in-process lookup cache, across two instances on one database. */
describe('lookup cache across two instances', () => {
  let db: TestDatabase;
  let work: string;
  let env: Record<string, string>;
  let apis: RunningApi[] = [];

  const lookup = async (api: RunningApi, query = '') => {
    const res = await fetch(`${api.url}/api/v1/shipments/DHL/TNC1${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      status: string;
      receiver: Record<string, unknown>;
      articles: { name: string }[];
    };
  };
  const hits = async (api: RunningApi) => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    return Number(/lookup_cache_requests_total\{result="hit"\} (\d+)/.exec(text)?.[1] ?? NaN);
  };
  const importCsv = async (content: string) => {
    const file = join(work, `import-${Date.now()}.csv`);
    await writeFile(file, content);
    const result = await runCli(['import', file, '--quiet'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    work = await mkdtemp(join(tmpdir(), 'lookup-cache-'));
    env = { DATABASE_URL: db.url, ...OFFLINE_WEATHER, WEATHER_TIMEOUT_MS: '200' };
    await importCsv(csv('in transit'));
    apis = await Promise.all([startApi(env), startApi(env)]);
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('serves repeated lookups from memory on each instance', async () => {
    for (const api of apis) {
      // The first lookups may go to the database while the cache confirms the version.
      for (let i = 0; i < 4; i++) expect((await lookup(api)).status).toBe('in_transit');
      const before = await hits(api);
      await lookup(api);
      expect(await hits(api)).toBe(before + 1);
    }
  });

  it('keeps the privacy views apart: the cached record answers each view as asked', async () => {
    const [api] = apis;
    expect((await lookup(api)).receiver).not.toHaveProperty('zip');
    expect((await lookup(api, '?zip=75001')).receiver).toMatchObject({ zip: '75001' });
    const again = await lookup(api);
    expect(again.receiver).not.toHaveProperty('zip');
    expect(again.receiver).not.toHaveProperty('address');
  });

  it('shows a re-import on every instance within 1 s of the import ending', async () => {
    for (const api of apis) await lookup(api); // both warm, with the old status
    await importCsv(csv('delivered', 'Laptop 15 inch'));
    const ended = Date.now();
    const seenAfter = await Promise.all(
      apis.map(async (api) => {
        for (;;) {
          const shipment = await lookup(api);
          if (shipment.status === 'delivered') {
            expect(shipment.articles.map((a) => a.name)).toEqual(['Laptop 15 inch']);
            return Date.now() - ended;
          }
          expect(Date.now() - ended).toBeLessThan(1000);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    for (const ms of seenAfter) expect(ms).toBeLessThan(1000);
  });

  it('a re-import that changes nothing leaves the caches warm', async () => {
    const [api] = apis;
    await lookup(api);
    await importCsv(csv('delivered', 'Laptop 15 inch'));
    await new Promise((resolve) => setTimeout(resolve, 600)); // two polls and more
    const before = await hits(api);
    await lookup(api);
    expect(await hits(api)).toBe(before + 1);
  });
});
