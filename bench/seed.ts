import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** A small, seeded PRNG (mulberry32): the same seed writes the same file on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = [
  { name: 'France', zip: (n: number) => String(10000 + ((n * 7919) % 89999)).padStart(5, '0') },
  { name: 'Germany', zip: (n: number) => String(10000 + ((n * 104729) % 89999)) },
  // Spanish postcodes start with a province number, 01 to 52.
  { name: 'Spain', zip: (n: number) => String(1000 + ((n * 1299709) % 51999)).padStart(5, '0') },
  { name: 'Belgium', zip: (n: number) => String(1000 + ((n * 7907) % 8999)) },
  { name: 'Netherlands', zip: (n: number) => String(1000 + ((n * 6151) % 8999)) },
];
const CARRIERS = ['DHL', 'UPS', 'DPD', 'FedEx', 'GLS'];
const STATUSES = ['in-transit', 'transit', 'inbound-scan', 'scanned', 'delivery'];

export interface SeedOptions {
  shipments: number;
  articlesPerShipment: number;
  /** Distinct receiver locations the shipments are spread over. */
  locations: number;
  seed?: number;
  /** Prefix of the tracking numbers, so several files can share a database. */
  prefix?: string;
}

/** The address of receiver location `n`: the same postcode and city every time. */
export function receiverAddress(n: number): string {
  const country = COUNTRIES[n % COUNTRIES.length];
  return `Street ${n}, ${country.zip(n)} City${n}, ${country.name}`;
}

/** Writes a shipments CSV (one row per article) as the import expects it, streaming. */
export async function writeShipmentsCsv(
  path: string,
  options: SeedOptions,
): Promise<{ rows: number; keys: string[] }> {
  const next = random(options.seed ?? 42);
  const prefix = options.prefix ?? 'BN';
  const out = createWriteStream(path);
  const keys: string[] = [];
  let rows = 0;
  const write = async (line: string): Promise<void> => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(
    'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status\n',
  );
  for (let i = 0; i < options.shipments; i++) {
    const carrier = CARRIERS[i % CARRIERS.length];
    const trackingNumber = `${prefix}${String(i).padStart(9, '0')}`;
    keys.push(`${carrier}/${trackingNumber}`);
    const receiver = receiverAddress(Math.floor(next() * options.locations));
    const status = STATUSES[Math.floor(next() * STATUSES.length)];
    for (let a = 0; a < options.articlesPerShipment; a++) {
      const price = (1 + Math.floor(next() * 99900) / 100).toFixed(2);
      await write(
        `${trackingNumber},${carrier},"Street 1, 10115 Berlin, Germany","${receiver}",Article ${a},${1 + (a % 3)},${price},SKU${a},${status}\n`,
      );
      rows++;
    }
  }
  out.end();
  await once(out, 'finish');
  return { rows, keys };
}
