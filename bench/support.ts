import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../test/support/paths';
import { median, runMeasured } from './measure';
import { receiverAddress } from './seed';

/** The bench's tools: load generation, the floor, the database and Redis chores, the machine. */
export interface Latency {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export async function load(
  base: string,
  options: {
    connections: number;
    durationS?: number;
    amount?: number;
    rate?: number;
    path: () => string;
  },
): Promise<Latency> {
  const result = await autocannon({
    url: base,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationS }),
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: options.path() }) },
    ],
  });
  return {
    requestsPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux). Per request, this
 * is what a layer costs the API itself, much less moved by the shared machine than req/s.
 */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `load`, with the microseconds of CPU the process `pid` spent per answered request. */
export async function loadWithCpu(
  base: string,
  pid: number,
  options: Parameters<typeof load>[1],
): Promise<Latency & { cpuUsPerRequest: number }> {
  const before = cpuSeconds(pid);
  const started = Date.now();
  const latency = await load(base, options);
  const requests = latency.requestsPerS * ((Date.now() - started) / 1000);
  return {
    ...latency,
    cpuUsPerRequest: Math.round(((cpuSeconds(pid) - before) * 1e6) / Math.max(1, requests)),
  };
}

export function medianLatency(rounds: Latency[]): Latency {
  return {
    requestsPerS: median(rounds.map((r) => r.requestsPerS)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    errors: median(rounds.map((r) => r.errors)),
  };
}

/** A CSV with one shipment per distinct receiver location, numbered from `offset`. */
export async function distinctLocationsCsv(
  dir: string,
  count: number,
  prefix: string,
  offset: number,
): Promise<string> {
  const lines = [
    'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status',
  ];
  for (let i = 0; i < count; i++) {
    lines.push(
      `${prefix}${String(i).padStart(9, '0')},DHL,"Street 1, 10115 Berlin, Germany","${receiverAddress(offset + i)}",Item,1,1.00,S1,in-transit`,
    );
  }
  const path = join(dir, `${prefix}.csv`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** Gives every location coordinates, as after its one geocoding: the bench measures weather calls. */
export async function placeLocations(url: string): Promise<void> {
  await query(
    url,
    `UPDATE locations SET latitude = 40 + (id % 20), longitude = (id % 30) WHERE latitude IS NULL`,
  );
}

export async function explainLookup(url: string, key: string): Promise<string> {
  const [carrier, trackingNumber] = key.split('/');
  const rows = await query(
    url,
    `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
     SELECT s.id FROM shipments s LEFT JOIN locations l ON l.id = s.receiver_location_id
      WHERE lower(s.carrier) = lower($1) AND lower(s.tracking_number) = lower($2)`,
    [carrier, trackingNumber],
  );
  return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
}

/** The import's floor: COPY of the same file into an unlogged staging table. */
export async function copyFloor(url: string, csv: string): Promise<number> {
  await query(
    url,
    'CREATE UNLOGGED TABLE staging (tracking_number text, carrier text, sender_address text, receiver_address text, article_name text, article_quantity text, article_price text, sku text, status text)',
  );
  const run = await runMeasured(
    'psql',
    [
      url,
      '-v',
      'ON_ERROR_STOP=1',
      '-qc',
      `\\copy staging FROM '${csv}' WITH (FORMAT csv, HEADER true)`,
    ],
    process.env,
  );
  if (run.code !== 0) throw new Error(`COPY failed: ${run.stderr}`);
  return run.wallMs / 1000;
}

export async function startFloor(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/bench/bench/floor.js')], {
    env: { PATH: process.env.PATH, ...env },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on(
      'data',
      (chunk: Buffer) => chunk.toString().includes('FLOOR READY') && resolve(),
    );
    child.once('exit', (code) => reject(new Error(`floor exited with ${code}`)));
  });
  return child;
}

export async function query(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

export function admin(url: string, sql: string): Promise<unknown> {
  return query(url, sql);
}

export async function flushRedis(url: string): Promise<void> {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  await client.close();
}

export async function deleteReadings(url: string): Promise<void> {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: '*weather:v1:reading:*', COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

export async function mustSucceed(
  run: Promise<{ code: number | null; stdout: string; stderr: string }>,
): Promise<void> {
  const result = await run;
  if (result.code !== 0)
    throw new Error(`command failed (${result.code}): ${result.stdout}${result.stderr}`);
}

export function machine(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
