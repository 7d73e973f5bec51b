import './register-paths';
import { REDIS_KEY_PREFIX } from '@app/infra';
import { LOOKUP_SQL } from '@app/shipments';
import { locationKey, weatherCacheKey } from '@app/weather';
import { createClient } from '@keyv/redis';
import { createServer } from 'node:http';
import { Pool } from 'pg';

/**
 * The floor: the same lookup, the same JSON, from the same tables with the least possible
 * machinery, as the fastest minimal server would do it: node:http, the API's own lookup query
 * (LOOKUP_SQL, one round trip) as a named prepared statement on a kept-alive pool (parsed and
 * planned once per connection), one Redis GET of the same cache key. What the API can't beat,
 * only approach.
 * Env: DATABASE_URL, REDIS_URL, PORT; FLOOR_PREPARED=false sends the query unnamed, as the first
 * floor did (PostgreSQL parses and plans it on every request). Prints "FLOOR READY" when it listens.
 */
interface Row {
  [column: string]: unknown;
  articles: { sku: string; name: string; quantity: number; price: number | string }[];
}

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: 10,
    idleTimeoutMillis: 0,
  });
  const name = process.env.FLOOR_PREPARED === 'false' ? undefined : 'floor_lookup';
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  const ttlMs = 7200 * 1000;

  const server = createServer((req, res) => {
    const match = /^\/api\/v1\/shipments\/([^/]+)\/([^/?]+)/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const carrier = decodeURIComponent(match[1]).trim();
    const trackingNumber = decodeURIComponent(match[2]).trim();
    void (async () => {
      const { rows } = await pool.query<Row>({
        name,
        text: LOOKUP_SQL,
        values: [carrier, trackingNumber],
      });
      const row = rows[0];
      if (!row) {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
        return;
      }
      const cached =
        row.receiver_zip && row.receiver_country_code
          ? await redis.get(
              REDIS_KEY_PREFIX +
                weatherCacheKey(
                  'reading',
                  locationKey({
                    countryCode: row.receiver_country_code as string,
                    zip: row.receiver_zip as string,
                  }),
                ),
            )
          : null;
      const report = cached
        ? (JSON.parse(cached) as { value: { report: { fetchedAt: string } } }).value.report
        : null;
      const fresh =
        report && Date.now() - Date.parse(report.fetchedAt) < ttlMs
          ? { ...report, stale: false }
          : null;
      const location = (side: string) => ({
        zip: row[`${side}_zip`],
        city: row[`${side}_city`],
        country: row[`${side}_country`],
        countryCode: row[`${side}_country_code`],
      });
      const body = JSON.stringify({
        trackingNumber: row.tracking_number,
        carrier: row.carrier,
        status: row.status,
        carrierStatus: row.carrier_status,
        sender: location('sender'),
        receiver: location('receiver'),
        articles: row.articles.map((a) => ({
          sku: a.sku,
          name: a.name,
          quantity: a.quantity,
          price: Number(a.price),
        })),
        updatedAt: (row.updated_at as Date).toISOString(),
        weather: fresh,
        weatherError: fresh ? null : 'no fresh reading',
      });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    })().catch((error: Error) => {
      res.writeHead(500).end(error.message);
    });
  });
  server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () =>
    process.stdout.write('FLOOR READY\n'),
  );
  process.on('SIGTERM', () => {
    server.close();
    void pool.end();
    void redis.close();
  });
}

void main();
