import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { WeatherFake } from '../test/fakes/weather-fake';
import { CLI_MAIN, freePort, runCli, startApi } from '../test/support/processes';
import { ROOT } from '../test/support/paths';
import { maxInWindow, median, runMeasured } from './measure';
import { receiverAddress, writeShipmentsCsv } from './seed';

/** Sizes and durations; `smoke` runs every scenario in seconds so the suite can keep it working. */
export interface BenchOptions {
  rounds: number;
  warm: { shipments: number; locations: number; durationS: number; connections: number };
  fixedRate: { rate: number; durationS: number };
  cold: { locations: number; latencyMs: number };
  import: { shipments: number };
  refresh: { locations: number; latencyMs: number; perMinute: number };
  adminUrl: string;
  redisUrl: string;
  outDir: string | null;
}

export const FULL: Omit<BenchOptions, 'adminUrl' | 'redisUrl' | 'outDir'> = {
  rounds: 3,
  warm: { shipments: 50_000, locations: 500, durationS: 10, connections: 32 },
  fixedRate: { rate: 1000, durationS: 20 },
  cold: { locations: 2000, latencyMs: 100 },
  import: { shipments: 500_000 },
  // 5,000 calls at 600/min take 8.3 min by themselves; the default run keeps 1,000 (see BENCHMARKS.md).
  refresh: {
    locations: Number(process.env.BENCH_REFRESH_LOCATIONS ?? 1000),
    latencyMs: 50,
    perMinute: 600,
  },
};

export const SMOKE: Omit<BenchOptions, 'adminUrl' | 'redisUrl' | 'outDir'> = {
  rounds: 1,
  warm: { shipments: 200, locations: 20, durationS: 1, connections: 4 },
  fixedRate: { rate: 50, durationS: 1 },
  cold: { locations: 20, latencyMs: 20 },
  import: { shipments: 500 },
  refresh: { locations: 20, latencyMs: 10, perMinute: 600 },
};

export interface BenchResults {
  machine: Record<string, string | number>;
  commit: string;
  startedAt: string;
  rounds: number;
  warm: { api: Latency; floor: Latency; ratio: number; sqlRoundTrips: number; plan: string };
  fixedRate: Latency & { offered: number };
  cold: Latency & { locations: number; upstreamCalls: number };
  import: {
    rows: number;
    wallS: number;
    rowsPerS: number;
    peakRssMb: number;
    copyFloorS: number;
    ratio: number;
  };
  refresh: {
    locations: number;
    wallS: number;
    calls: number;
    peakConcurrency: number;
    perMinute: number;
    maxInAnyMinute: number;
  };
}

interface Latency {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const ENV_BASE = { WEATHER_MAX_CALLS_PER_MINUTE: '100000', WEATHER_TIMEOUT_MS: '3000' };

export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = console.log,
): Promise<BenchResults> {
  const work = await mkdtemp(join(tmpdir(), 'bench-'));
  const fake = await WeatherFake.start();
  const databases: string[] = [];
  const processes: ChildProcess[] = [];
  const newDatabase = async (): Promise<string> => {
    const name = `bench_${Date.now()}_${databases.length}`;
    await admin(options.adminUrl, `CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(options.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  try {
    const started = new Date().toISOString();
    await flushRedis(options.redisUrl);
    const databaseUrl = await newDatabase();
    const env = {
      ...fake.env('open-meteo'),
      ...ENV_BASE,
      DATABASE_URL: databaseUrl,
      REDIS_URL: options.redisUrl,
    };

    log(`seeding ${options.warm.shipments} shipments over ${options.warm.locations} locations`);
    const warmCsv = join(work, 'warm.csv');
    const { keys } = await writeShipmentsCsv(warmCsv, {
      shipments: options.warm.shipments,
      articlesPerShipment: 2,
      locations: options.warm.locations,
    });
    await mustSucceed(runCli(['import', warmCsv], env));
    await placeLocations(databaseUrl);
    await mustSucceed(runCli(['refresh-weather'], env));

    const api = await startApi(env);
    const floorPort = await freePort();
    const floor = await startFloor({ ...env, PORT: String(floorPort) });
    processes.push(api.child, floor);
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    const randomPath = (): string =>
      `/api/v1/shipments/${keys[Math.floor(Math.random() * keys.length)]}`;

    log('1-2. warm lookup, API and floor alternating');
    const apiRounds: Latency[] = [];
    const floorRounds: Latency[] = [];
    for (let round = 0; round < options.rounds; round++) {
      apiRounds.push(
        await load(api.url, {
          connections: options.warm.connections,
          durationS: options.warm.durationS,
          path: randomPath,
        }),
      );
      floorRounds.push(
        await load(floorUrl, {
          connections: options.warm.connections,
          durationS: options.warm.durationS,
          path: randomPath,
        }),
      );
    }
    const plan = await explainLookup(databaseUrl, keys[0]);

    log('3. fixed rate');
    const fixedRounds: Latency[] = [];
    for (let round = 0; round < options.rounds; round++) {
      fixedRounds.push(
        await load(api.url, {
          connections: 32,
          durationS: options.fixedRate.durationS,
          rate: options.fixedRate.rate,
          path: randomPath,
        }),
      );
    }

    log(
      `4. cold lookups of ${options.cold.locations} distinct locations, provider at ${options.cold.latencyMs} ms`,
    );
    // One shipment per location: location n of the cold set is shipment CLn.
    await mustSucceed(
      runCli(
        ['import', await distinctLocationsCsv(work, options.cold.locations, 'CL', 100_000)],
        env,
      ),
    );
    await placeLocations(databaseUrl);
    const coldRounds: (Latency & { calls: number })[] = [];
    for (let round = 0; round < options.rounds; round++) {
      await deleteReadings(options.redisUrl);
      fake.reset();
      fake.latencyMs = options.cold.latencyMs;
      let next = 0;
      const paths = Array.from(
        { length: options.cold.locations },
        (_, i) => `/api/v1/shipments/DHL/CL${String(i).padStart(9, '0')}`,
      );
      const result = await load(api.url, {
        connections: Math.min(32, paths.length),
        amount: paths.length,
        path: () => paths[next++ % paths.length],
      });
      coldRounds.push({ ...result, calls: fake.weatherCalls });
    }
    fake.reset();

    await api.stop();
    floor.kill('SIGTERM');

    log(`5. import of ${options.import.shipments * 2} rows`);
    const importCsv = join(work, 'import.csv');
    const { rows } = await writeShipmentsCsv(importCsv, {
      shipments: options.import.shipments,
      articlesPerShipment: 2,
      locations: 500,
      prefix: 'IM',
    });
    const importRounds: { wallS: number; peakRssMb: number; copyS: number }[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const url = await newDatabase();
      await mustSucceed(runCli(['migrate'], { ...env, DATABASE_URL: url }));
      const run = await runMeasured(process.execPath, [CLI_MAIN, 'import', importCsv], {
        PATH: process.env.PATH,
        DATABASE_URL: url,
      });
      if (run.code !== 0) throw new Error(`import failed: ${run.stderr}`);
      const copyS = await copyFloor(url, importCsv);
      importRounds.push({ wallS: run.wallMs / 1000, peakRssMb: run.peakRssMb, copyS });
    }

    log(
      `6. refresh of ${options.refresh.locations} locations at ${options.refresh.perMinute}/min, provider at ${options.refresh.latencyMs} ms`,
    );
    const refreshDb = await newDatabase();
    await flushRedis(options.redisUrl);
    const refreshEnv = {
      ...env,
      DATABASE_URL: refreshDb,
      WEATHER_MAX_CALLS_PER_MINUTE: String(options.refresh.perMinute),
    };
    await mustSucceed(
      runCli(
        ['import', await distinctLocationsCsv(work, options.refresh.locations, 'RF', 200_000)],
        refreshEnv,
      ),
    );
    await placeLocations(refreshDb);
    fake.reset();
    fake.latencyMs = options.refresh.latencyMs;
    const refreshRun = await runMeasured(process.execPath, [CLI_MAIN, 'refresh-weather'], {
      PATH: process.env.PATH,
      ...refreshEnv,
    });
    if (refreshRun.code !== 0)
      throw new Error(`refresh failed: ${refreshRun.stdout}${refreshRun.stderr}`);
    const callTimes = fake.requests.filter((r) => r.path === '/v1/forecast').map((r) => r.at);

    const apiWarm = medianLatency(apiRounds);
    const floorWarm = medianLatency(floorRounds);
    const importWall = median(importRounds.map((r) => r.wallS));
    const copyWall = median(importRounds.map((r) => r.copyS));
    const results: BenchResults = {
      machine: machine(),
      commit: commit(),
      startedAt: started,
      rounds: options.rounds,
      warm: {
        api: apiWarm,
        floor: floorWarm,
        ratio: round2(apiWarm.requestsPerS / floorWarm.requestsPerS),
        sqlRoundTrips: 1,
        plan,
      },
      fixedRate: { ...medianLatency(fixedRounds), offered: options.fixedRate.rate },
      cold: {
        ...medianLatency(coldRounds),
        locations: options.cold.locations,
        upstreamCalls: median(coldRounds.map((r) => r.calls)),
      },
      import: {
        rows,
        wallS: round2(importWall),
        rowsPerS: Math.round(rows / importWall),
        peakRssMb: median(importRounds.map((r) => r.peakRssMb)),
        copyFloorS: round2(copyWall),
        ratio: round2(importWall / copyWall),
      },
      refresh: {
        locations: options.refresh.locations,
        wallS: round2(refreshRun.wallMs / 1000),
        calls: callTimes.length,
        peakConcurrency: fake.peakInFlight,
        perMinute: options.refresh.perMinute,
        maxInAnyMinute: maxInWindow(callTimes, 60_000),
      },
    };
    if (options.outDir) await writeResults(options.outDir, results);
    return results;
  } finally {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    for (const name of databases)
      await admin(options.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(
        () => undefined,
      );
    await rm(work, { recursive: true, force: true });
  }
}

async function load(
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

function medianLatency(rounds: Latency[]): Latency {
  return {
    requestsPerS: median(rounds.map((r) => r.requestsPerS)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    errors: median(rounds.map((r) => r.errors)),
  };
}

/** A CSV with one shipment per distinct receiver location, numbered from `offset`. */
async function distinctLocationsCsv(
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
async function placeLocations(url: string): Promise<void> {
  await query(
    url,
    `UPDATE locations SET latitude = 40 + (id % 20), longitude = (id % 30) WHERE latitude IS NULL`,
  );
}

async function explainLookup(url: string, key: string): Promise<string> {
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
async function copyFloor(url: string, csv: string): Promise<number> {
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

async function startFloor(env: Record<string, string>): Promise<ChildProcess> {
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

async function query(
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

function admin(url: string, sql: string): Promise<unknown> {
  return query(url, sql);
}

async function flushRedis(url: string): Promise<void> {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  await client.connect();
  await client.flushDb();
  await client.close();
}

async function deleteReadings(url: string): Promise<void> {
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: '*weather:v1:reading:*', COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

async function mustSucceed(
  run: Promise<{ code: number | null; stdout: string; stderr: string }>,
): Promise<void> {
  const result = await run;
  if (result.code !== 0)
    throw new Error(`command failed (${result.code}): ${result.stdout}${result.stderr}`);
}

function machine(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function toMarkdown(r: BenchResults): string {
  const rows = [
    [
      '1. warm lookup (API)',
      `${r.warm.api.requestsPerS} req/s`,
      `p50 ${r.warm.api.p50Ms} ms, p99 ${r.warm.api.p99Ms} ms, errors ${r.warm.api.errors}`,
    ],
    [
      '2. floor (node:http, 1 SQL + 1 GET)',
      `${r.warm.floor.requestsPerS} req/s`,
      `p50 ${r.warm.floor.p50Ms} ms, p99 ${r.warm.floor.p99Ms} ms; lookup/floor = ${r.warm.ratio}`,
    ],
    [
      `3. fixed rate ${r.fixedRate.offered} req/s`,
      `p99 ${r.fixedRate.p99Ms} ms`,
      `p50 ${r.fixedRate.p50Ms} ms, errors ${r.fixedRate.errors}`,
    ],
    [
      `4. cold lookups (${r.cold.locations} locations)`,
      `p50 ${r.cold.p50Ms} ms, p99 ${r.cold.p99Ms} ms`,
      `upstream calls ${r.cold.upstreamCalls}, errors ${r.cold.errors}`,
    ],
    [
      `5. import ${r.import.rows} rows`,
      `${r.import.wallS} s (${r.import.rowsPerS} rows/s)`,
      `peak RSS ${r.import.peakRssMb} MB; COPY floor ${r.import.copyFloorS} s; import/COPY = ${r.import.ratio}`,
    ],
    [
      `6. refresh ${r.refresh.locations} locations at ${r.refresh.perMinute}/min`,
      `${r.refresh.wallS} s`,
      `calls ${r.refresh.calls}, peak concurrency ${r.refresh.peakConcurrency}, most calls in any 60 s ${r.refresh.maxInAnyMinute}`,
    ],
  ];
  return [
    `Commit ${r.commit}, ${r.startedAt}; ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, Node ${r.machine.node}; median of ${r.rounds} round(s).`,
    '',
    '| scenario | figure | detail |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

async function writeResults(dir: string, results: BenchResults): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'latest.md'), toMarkdown(results));
}
