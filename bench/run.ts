import { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeatherFake } from '../test/fakes/weather-fake';
import { CLI_MAIN, freePort, runCli, startApi } from '../test/support/processes';
import { maxInWindow, median, runMeasured } from './measure';
import { writeShipmentsCsv } from './seed';
import { BenchOptions, BenchResults, ClusterBenchResults } from './options';
import { writeResults } from './report';
import { clusterScenario } from './cluster';
import {
  admin,
  commit,
  copyFloor,
  deleteReadings,
  distinctLocationsCsv,
  explainLookup,
  flushRedis,
  Latency,
  load,
  loadWithCpu,
  machine,
  medianLatency,
  mustSucceed,
  placeLocations,
  round2,
  startFloor,
} from './support';

export { toMarkdown } from './report';

export * from './options';

const ENV_BASE = {
  WEATHER_MAX_CALLS_PER_MINUTE: '100000',
  WEATHER_TIMEOUT_MS: '3000',
  // The limit is checked in Redis on every request, as in production, but never reached by the
  // load generator's single address.
  RATE_LIMIT_PER_MINUTE: '1000000000',
};

/** The edge's layers, each on its own over a baseline with all three off. */
const EDGE_OFF = { RATE_LIMIT_PER_MINUTE: '0', METRICS_ENABLED: 'false', LOG_LEVEL: 'warn' };
const EDGE_LAYERS = {
  all: {},
  off: EDGE_OFF,
  // The whole edge on, without the in-process lookup cache.
  noCache: { LOOKUP_CACHE_SIZE: '0' },
  rateLimits: { ...EDGE_OFF, RATE_LIMIT_PER_MINUTE: ENV_BASE.RATE_LIMIT_PER_MINUTE },
  metrics: { ...EDGE_OFF, METRICS_ENABLED: 'true' },
  accessLog: { ...EDGE_OFF, LOG_LEVEL: 'info' },
} as const;

/**
 * A newcomer's API: no DATABASE_URL and no REDIS_URL, so PGlite in a data directory and the
 * in-process weather cache, loaded like scenario 1 after one warm-up pass (which fetches each
 * location's weather once).
 */
async function embeddedLookups(
  work: string,
  options: BenchOptions,
  fake: WeatherFake,
): Promise<BenchResults['embedded']> {
  const env = {
    ...fake.env('open-meteo'),
    ...ENV_BASE,
    EMBEDDED_DATABASE_DIR: join(work, 'pglite'),
  };
  fake.reset();
  fake.latencyMs = 0;
  const csv = join(work, 'embedded.csv');
  const { keys } = await writeShipmentsCsv(csv, {
    shipments: options.embedded.shipments,
    articlesPerShipment: 2,
    locations: options.warm.locations,
    prefix: 'EM',
  });
  await mustSucceed(runCli(['import', csv, '--quiet'], env));
  const api = await startApi(env, { stdoutFile: join(work, 'api-embedded.log') });
  try {
    const path = (): string => `/api/v1/shipments/${keys[Math.floor(Math.random() * keys.length)]}`;
    const connections = options.warm.connections;
    await load(api.url, { connections, durationS: options.warm.durationS, path });
    const rounds: Latency[] = [];
    for (let round = 0; round < options.rounds; round++)
      rounds.push(await load(api.url, { connections, durationS: options.warm.durationS, path }));
    const fixed = await load(api.url, {
      connections,
      durationS: options.fixedRate.durationS,
      rate: options.fixedRate.rate,
      path,
    });
    return { shipments: options.embedded.shipments, warm: medianLatency(rounds), fixedRate: fixed };
  } finally {
    await api.stop();
  }
}

/** The warm set: shipments imported, locations placed, every reading fetched once. */
async function seedWarm(
  work: string,
  options: BenchOptions,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<string[]> {
  log(`seeding ${options.warm.shipments} shipments over ${options.warm.locations} locations`);
  const warmCsv = join(work, 'warm.csv');
  const { keys } = await writeShipmentsCsv(warmCsv, {
    shipments: options.warm.shipments,
    articlesPerShipment: 2,
    locations: options.warm.locations,
  });
  await mustSucceed(runCli(['import', warmCsv], env));
  await placeLocations(env.DATABASE_URL);
  await mustSucceed(runCli(['refresh-weather'], env));
  return keys;
}

interface BenchContext {
  work: string;
  fake: WeatherFake;
  started: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** Killed at the end, whatever happened. */
  processes: ChildProcess[];
  newDatabase(): Promise<string>;
  cleanUp(): Promise<void>;
}

/** A scratch directory, the weather fake, an emptied Redis db and a database of its own. */
async function benchContext(options: BenchOptions): Promise<BenchContext> {
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
  const cleanUp = async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    for (const name of databases)
      await admin(options.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(
        () => undefined,
      );
    await rm(work, { recursive: true, force: true });
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
    return { work, fake, started, databaseUrl, env, processes, newDatabase, cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** `npm run bench -- --cluster`: the warm set, then scenario 8 alone. */
export async function runClusterBench(
  options: BenchOptions,
  log: (line: string) => void = console.log,
): Promise<ClusterBenchResults> {
  const context = await benchContext(options);
  try {
    const { work, fake, env } = context;
    const keys = await seedWarm(work, options, env, log);
    const cluster = await clusterScenario({ env, keys, work, fake, options: options.cluster, log });
    const results = { machine: machine(), commit: commit(), startedAt: context.started, cluster };
    if (options.outDir) await writeResults(options.outDir, results, 'cluster');
    return results;
  } finally {
    await context.cleanUp();
  }
}

export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = console.log,
): Promise<BenchResults> {
  const context = await benchContext(options);
  const { work, fake, started, databaseUrl, env, processes, newDatabase } = context;
  try {
    const keys = await seedWarm(work, options, env, log);

    // Everything on: Redis-backed limits, metrics, and the JSON access log written to a file.
    const api = await startApi(env, { stdoutFile: join(work, 'api.log') });
    const floorPort = await freePort();
    const floor = await startFloor({ ...env, PORT: String(floorPort) });
    // The first floor, which sent its query unnamed (PostgreSQL planned it on every request).
    const oldFloorPort = await freePort();
    const oldFloor = await startFloor({
      ...env,
      PORT: String(oldFloorPort),
      FLOOR_PREPARED: 'false',
    });
    processes.push(api.child, floor, oldFloor);
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    const randomPath = (): string =>
      `/api/v1/shipments/${keys[Math.floor(Math.random() * keys.length)]}`;

    log('1-2. warm lookup, API and floors alternating');
    const apiRounds: Latency[] = [];
    const floorRounds: Latency[] = [];
    const oldFloorRounds: Latency[] = [];
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
      oldFloorRounds.push(
        await load(`http://127.0.0.1:${oldFloorPort}`, {
          connections: options.warm.connections,
          durationS: options.warm.durationS,
          path: randomPath,
        }),
      );
    }
    oldFloor.kill('SIGTERM');
    const plan = await explainLookup(databaseUrl, keys[0]);

    log(
      `1c. warm lookup over a hot set of ${options.warm.hotSet} shipments, API and floor alternating`,
    );
    const hotKeys = keys.slice(0, options.warm.hotSet);
    const hotPath = (): string =>
      `/api/v1/shipments/${hotKeys[Math.floor(Math.random() * hotKeys.length)]}`;
    const hotApiRounds: Latency[] = [];
    const hotFloorRounds: Latency[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const [url, rounds] of [
        [api.url, hotApiRounds],
        [floorUrl, hotFloorRounds],
      ] as const) {
        rounds.push(
          await load(url, {
            connections: options.warm.connections,
            durationS: options.warm.durationS,
            path: hotPath,
          }),
        );
      }
    }

    log('1b. the edge layer by layer: all on, all off, each alone (order rotated per round)');
    const layers = Object.keys(EDGE_LAYERS) as (keyof typeof EDGE_LAYERS)[];
    const layerApis = await Promise.all(
      layers.map((layer) =>
        startApi({ ...env, ...EDGE_LAYERS[layer] }, { stdoutFile: join(work, `api-${layer}.log`) }),
      ),
    );
    processes.push(...layerApis.map((layerApi) => layerApi.child));
    const layerRounds = new Map<string, (Latency & { cpuUsPerRequest: number })[]>(
      layers.map((layer) => [layer, []]),
    );
    for (let round = 0; round < options.rounds; round++) {
      // A drift of the shared machine must not always favour whoever goes first.
      for (let turn = 0; turn < layers.length; turn++) {
        const index = (turn + round) % layers.length;
        const layer = layers[index];
        const { url, child } = layerApis[index];
        layerRounds.get(layer)?.push(
          await loadWithCpu(url, child.pid ?? 0, {
            connections: options.warm.connections,
            durationS: options.warm.durationS,
            path: randomPath,
          }),
        );
      }
    }
    await Promise.all(layerApis.map((layerApi) => layerApi.stop()));
    const withCpu = (layer: keyof typeof EDGE_LAYERS) => {
      const rounds = layerRounds.get(layer) ?? [];
      return {
        ...medianLatency(rounds),
        cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
      };
    };
    const edgeOff = withCpu('off');
    const edgeAll = withCpu('all');

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
      `5b. lookups at ${options.importWhileServing.rate} req/s while the same file imports beside the API`,
    );
    // Into the API's own database: the import's writes and the lookups' reads share it.
    const importing = runMeasured(process.execPath, [CLI_MAIN, 'import', importCsv, '--quiet'], {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
    });
    const duringImport = await load(api.url, {
      connections: 16,
      durationS: Math.max(1, Math.floor(median(importRounds.map((r) => r.wallS)) * 0.9)),
      rate: options.importWhileServing.rate,
      path: randomPath,
    });
    const besideRun = await importing;
    if (besideRun.code !== 0) throw new Error(`import beside the API failed: ${besideRun.stderr}`);
    await api.stop();

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

    log(`7. the embedded default: ${options.embedded.shipments} shipments in PGlite, no Redis`);
    const embedded = await embeddedLookups(work, options, fake);

    api.child.kill('SIGTERM');
    const cluster = await clusterScenario({ env, keys, work, fake, options: options.cluster, log });

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
        floorUnprepared: medianLatency(oldFloorRounds),
        hotSet: {
          shipments: options.warm.hotSet,
          api: medianLatency(hotApiRounds),
          floor: medianLatency(hotFloorRounds),
          ratio: round2(
            medianLatency(hotApiRounds).requestsPerS / medianLatency(hotFloorRounds).requestsPerS,
          ),
        },
        sqlRoundTrips: 1,
        plan,
      },
      edge: {
        off: edgeOff,
        layers: Object.fromEntries(
          layers
            .filter((layer) => layer !== 'off' && layer !== 'all' && layer !== 'noCache')
            .map((layer) => {
              const latency = withCpu(layer);
              return [
                layer,
                {
                  ...latency,
                  cost: round2(1 - latency.requestsPerS / edgeOff.requestsPerS),
                  cpuUsAdded: latency.cpuUsPerRequest - edgeOff.cpuUsPerRequest,
                },
              ];
            }),
        ),
        allOn: { ...edgeAll, cpuUsAdded: edgeAll.cpuUsPerRequest - edgeOff.cpuUsPerRequest },
        allOnCost: round2(1 - edgeAll.requestsPerS / edgeOff.requestsPerS),
        offRatio: round2(edgeOff.requestsPerS / floorWarm.requestsPerS),
        allOnRatio: round2(edgeAll.requestsPerS / floorWarm.requestsPerS),
        noCache: {
          ...withCpu('noCache'),
          ratio: round2(withCpu('noCache').requestsPerS / floorWarm.requestsPerS),
        },
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
      importWhileServing: {
        ...duringImport,
        offered: options.importWhileServing.rate,
        importWallS: round2(besideRun.wallMs / 1000),
      },
      embedded,
      cluster,
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
    await context.cleanUp();
  }
}
