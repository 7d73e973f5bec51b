import './register-paths';
import { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WeatherFake } from '../test/fakes/weather-fake';
import { freePort, runCli, startApi } from '../test/support/processes';
import { median } from './measure';
import { writeShipmentsCsv } from './seed';
import {
  admin,
  flushRedis,
  Latency,
  loadWithCpu,
  mustSucceed,
  placeLocations,
  round2,
  startFloor,
} from './support';

/**
 * Side by side: several builds or settings of the API, and the floor, on one database and one
 * warm Redis, loaded in turn with the order rotated each round. This is how each lever in
 * BENCHMARKS.md was measured on its own: a copy of `dist/` before the change against the build
 * after it, on the same machine in the same minutes.
 *
 *   node dist/bench/bench/compare.js [--rounds 3] [--seconds 8] [--rate 1000] [--hot N] VARIANT...
 *
 * Lookups pick a shipment at random among all 50,000 (`--shipments`), or among the first N with
 * `--hot N` (a hot set, as when receivers reload their parcel's page).
 *
 * A VARIANT is `name=path/to/apps/api/main.js`, `floor` or `floor-unprepared`, each optionally
 * followed by `?KEY=VALUE&...` for its environment, e.g. `off=dist/apps/api/main.js?METRICS_ENABLED=false`.
 * Env: BENCH_DATABASE_ADMIN_URL, BENCH_REDIS_URL, as for `npm run bench`.
 */
interface Variant {
  name: string;
  /** The API's main.js, or 'floor'. */
  main: string;
  env: Record<string, string>;
}

function parseVariant(spec: string): Variant {
  const [head, query = ''] = spec.split('?');
  const env = Object.fromEntries(new URLSearchParams(query));
  if (head === 'floor') return { name: 'floor', main: 'floor', env };
  if (head === 'floor-unprepared')
    return { name: head, main: 'floor', env: { FLOOR_PREPARED: 'false', ...env } };
  const [name, main] = head.split('=');
  if (!name || !main) throw new Error(`variant "${spec}": expected name=path/to/main.js`);
  return { name, main: resolve(main), env };
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const specs = argv.filter((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const variants = specs.map(parseVariant);
  if (variants.length === 0) throw new Error('name at least one variant');
  const rounds = option('rounds', 3);
  const durationS = option('seconds', 8);
  const rate = option('rate', 0);
  const shipments = option('shipments', 50_000);
  const hot = option('hot', 0);
  const adminUrl =
    process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';

  const work = await mkdtemp(join(tmpdir(), 'compare-'));
  const fake = await WeatherFake.start();
  const database = `compare_${Date.now()}`;
  const children: ChildProcess[] = [];
  try {
    await admin(adminUrl, `CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    await flushRedis(redisUrl);
    const env = {
      ...fake.env('open-meteo'),
      WEATHER_MAX_CALLS_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '1000000000',
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl,
    };
    const csv = join(work, 'warm.csv');
    const { keys } = await writeShipmentsCsv(csv, {
      shipments,
      articlesPerShipment: 2,
      locations: 500,
    });
    await mustSucceed(runCli(['import', csv], env));
    await placeLocations(url.toString());
    await mustSucceed(runCli(['refresh-weather'], env));

    const running: { url: string; pid: number }[] = [];
    for (const variant of variants) {
      if (variant.main === 'floor') {
        const port = await freePort();
        const floor = await startFloor({ ...env, ...variant.env, PORT: String(port) });
        children.push(floor);
        running.push({ url: `http://127.0.0.1:${port}`, pid: floor.pid ?? 0 });
      } else {
        const api = await startApi(
          { ...env, ...variant.env },
          { main: variant.main, stdoutFile: join(work, `${variant.name}.log`) },
        );
        children.push(api.child);
        running.push({ url: api.url, pid: api.child.pid ?? 0 });
      }
    }
    const pool = hot > 0 ? keys.slice(0, hot) : keys;
    const path = (): string => `/api/v1/shipments/${pool[Math.floor(Math.random() * pool.length)]}`;
    const results = variants.map(() => [] as (Latency & { cpuUsPerRequest: number })[]);
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < variants.length; turn++) {
        const index = (turn + round) % variants.length;
        const result = await loadWithCpu(running[index].url, running[index].pid, {
          connections: 32,
          durationS,
          ...(rate ? { rate } : {}),
          path,
        });
        results[index].push(result);
        process.stderr.write(
          `round ${round + 1} ${variants[index].name}: ${result.requestsPerS} req/s, p99 ${result.p99Ms} ms, ${result.cpuUsPerRequest} µs CPU/request\n`,
        );
      }
    }
    const rows = results.map((rounds) => ({
      requestsPerS: median(rounds.map((r) => r.requestsPerS)),
      p50Ms: median(rounds.map((r) => r.p50Ms)),
      p99Ms: median(rounds.map((r) => r.p99Ms)),
      errors: median(rounds.map((r) => r.errors)),
      cpuUsPerRequest: median(rounds.map((r) => r.cpuUsPerRequest)),
    }));
    const reference = rows[variants.findIndex((v) => v.name === 'floor')] ?? rows[0];
    const lines = [
      '| variant | req/s | p50 | p99 | errors | API CPU/request | against floor |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (row, i) =>
          `| ${variants[i].name} | ${row.requestsPerS.toLocaleString('en')} | ${row.p50Ms} ms | ${row.p99Ms} ms | ${row.errors} | ${row.cpuUsPerRequest} µs | ${round2(row.requestsPerS / reference.requestsPerS)} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(
      () => undefined,
    );
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`compare: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
