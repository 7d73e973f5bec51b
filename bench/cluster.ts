import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { WeatherFake } from '../test/fakes/weather-fake';
import { ROOT } from '../test/support/paths';
import { freePort, RunningApi, runCli, startApi } from '../test/support/processes';
import {
  cpuSeconds,
  deleteReadings,
  distinctLocationsCsv,
  Latency,
  load,
  mustSucceed,
} from './support';

export interface ClusterOptions {
  /** Seconds of closed-loop load per size (1, 2 and 3 instances). */
  durationS: number;
  /**
   * Seconds of load straight to each new instance before it is measured: a fresh Node process
   * serves a third of its warm rate in its first seconds (V8 has not optimised the hot path).
   */
  warmUpS: number;
  connections: number;
  /** Offered req/s during the rolling restart and the SIGKILL. */
  rate: number;
  /** Lookups of one cold location, spread over every instance. */
  coldLookups: number;
}

/** CPU seconds each part of the system used during a run, as a share of the machine's. */
export type CpuShares = Record<'api' | 'nginx' | 'postgres' | 'redis' | 'loadGenerator', number>;

export interface ClusterResults {
  nginx: string;
  instances: { count: number; latency: Latency; cpu: CpuShares }[];
  rollingRestart: Latency & { offered: number; requests: number; restartS: number };
  sigkill: Latency & { offered: number; requests: number };
  cold: { lookups: number; instances: number; upstreamCalls: number; geocodes: number };
}

/** nginx from deploy/nginx in front of `ports`: the shipped file, with only the listen and upstream set. */
class Balancer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dir: string, ports: number[]): Promise<Balancer> {
    await mkdir(dir, { recursive: true });
    const port = await freePort();
    const shipped = await readFile(join(ROOT, 'deploy/nginx/nginx.conf'), 'utf8');
    const server = /^(\s*)server api:3000 (.*)$/m;
    if (!shipped.includes('listen 8080;') || !server.test(shipped))
      throw new Error('deploy/nginx/nginx.conf: no "listen 8080;" or "server api:3000 ..." line');
    const config = shipped
      .replace('listen 8080;', `listen 127.0.0.1:${port};`)
      .replace(server, (_, indent: string, rest: string) =>
        ports.map((p) => `${indent}server 127.0.0.1:${p} ${rest}`).join('\n'),
      );
    await writeFile(join(dir, 'nginx.conf'), config);
    // Its logs to a file: nginx opens /dev/stdout, which a socket can't be opened as.
    const log = openSync(join(dir, 'nginx.log'), 'a');
    const child = spawn(
      nginxBinary(),
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid;`],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) break;
      if (
        await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return new Balancer(child, url);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${readFileSync(join(dir, 'nginx.log'), 'utf8')}`);
  }

  /** The master and its workers (nginx forks them). */
  pids(): number[] {
    const master = this.child.pid!;
    return [master, ...childrenOf(master)];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export function nginxBinary(): string {
  const found = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
  if (!found) throw new Error('the cluster scenario needs nginx: apt-get install nginx');
  return found;
}

/** The processes for which `read(pid)` is true; one that exits while it is read is left out. */
function pidsWhere(read: (pid: string) => boolean): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return read(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The children of `pid` (stat's fourth field is the parent). */
const childrenOf = (pid: number): number[] =>
  pidsWhere(
    (entry) =>
      readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid),
  );

/** Processes whose command name is `name` (PostgreSQL's backends, redis-server). */
const pidsNamed = (name: string): number[] =>
  pidsWhere((entry) => readFileSync(`/proc/${entry}/comm`, 'utf8').trim().startsWith(name));

/** CPU seconds so far of each process that is there. */
const cpuOf = (pids: number[]): Map<number, number> => {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      seconds.set(pid, cpuSeconds(pid));
    } catch {
      // it exited meanwhile
    }
  }
  return seconds;
};

/** CPU used between two readings: per process, from 0 for one that started in between. */
const usedBetween = (before: Map<number, number>, after: Map<number, number>): number =>
  [...after].reduce((sum, [pid, now]) => sum + now - (before.get(pid) ?? 0), 0);

/** Load with the CPU each part used, as shares of the machine's cores over the run. */
async function loadWithShares(
  url: string,
  apis: RunningApi[],
  balancer: Balancer,
  options: Parameters<typeof load>[1],
): Promise<{ latency: Latency; cpu: CpuShares }> {
  const groups = {
    api: () => apis.map((api) => api.child.pid!),
    nginx: () => balancer.pids(),
    postgres: () => pidsNamed('postgres'),
    redis: () => pidsNamed('redis-server'),
    loadGenerator: () => [process.pid],
  };
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, cpuOf(pids())]));
  const started = Date.now();
  const latency = await load(url, options);
  const wallS = (Date.now() - started) / 1000;
  const cores = cpus().length;
  const cpu = Object.fromEntries(
    Object.entries(groups).map(([k, pids]) => [
      k,
      Math.round((usedBetween(before[k], cpuOf(pids())) / (wallS * cores)) * 100) / 100,
    ]),
  ) as CpuShares;
  return { latency, cpu };
}

/**
 * Scenario 8: real nginx (deploy/nginx) in front of 1, 2 and 3 API instances on one PostgreSQL
 * and Redis; a rolling restart and a SIGKILL of one instance under a fixed rate; a cold location
 * asked through all of them.
 */
export async function clusterScenario(context: {
  env: Record<string, string>;
  keys: string[];
  work: string;
  fake: WeatherFake;
  options: ClusterOptions;
  log: (line: string) => void;
}): Promise<ClusterResults> {
  const { keys, work, fake, options, log } = context;
  const env: Record<string, string> = {
    ...context.env,
    TRUST_PROXY: 'loopback',
    SHUTDOWN_DELAY_MS: '1000',
  };
  const ports = await Promise.all([0, 1, 2].map(() => freePort()));
  // A log file per process: startApi waits for the banner in it.
  let started = 0;
  const start = (i: number) =>
    startApi(env, { port: ports[i], stdoutFile: join(work, `cluster-api-${i}-${started++}.log`) });
  const apis: RunningApi[] = [];
  const balancers: Balancer[] = [];
  const path = (): string => `/api/v1/shipments/${keys[Math.floor(Math.random() * keys.length)]}`;
  try {
    for (let i = 0; i < 3; i++) apis.push(await start(i));
    // As warm as scenario 1's instance, which has served three rounds before its figure.
    for (const api of apis) {
      await load(api.url, { connections: options.connections, durationS: options.warmUpS, path });
    }
    const instances: ClusterResults['instances'] = [];
    for (const count of [1, 2, 3]) {
      log(`8. nginx in front of ${count} instance(s)`);
      const balancer = await Balancer.start(join(work, `nginx-${count}`), ports.slice(0, count));
      balancers.push(balancer);
      // A pass to open the keep-alive connections and fill each instance's lookup cache alike.
      await load(balancer.url, { connections: options.connections, durationS: 1, path });
      const measured = await loadWithShares(balancer.url, apis.slice(0, count), balancer, {
        connections: options.connections,
        durationS: options.durationS,
        path,
      });
      instances.push({ count, ...measured });
      if (count < 3) await balancer.stop();
    }
    const balancer = balancers[balancers.length - 1];

    log(`8. rolling restart of 3 instances under ${options.rate} req/s`);
    let restartS = 0;
    const restart = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const began = Date.now();
      for (let i = 0; i < 3; i++) {
        await apis[i].stop('SIGTERM');
        apis[i] = await start(i);
      }
      restartS = (Date.now() - began) / 1000;
    })();
    const during = await loadUntil(balancer.url, options.rate, restart, path);
    const rollingRestart = {
      ...during,
      offered: options.rate,
      restartS: Math.round(restartS * 10) / 10,
    };

    log(`8. SIGKILL of one instance under ${options.rate} req/s`);
    const kill = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await apis[1].stop('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    })();
    const sigkill = {
      ...(await loadUntil(balancer.url, options.rate, kill, path)),
      offered: options.rate,
    };
    apis[1] = await start(1);

    log(`8. one cold location asked ${options.coldLookups} times through nginx`);
    // Counted from before the import: an instance's warm-up may be the one that fetches it. Its
    // postcode may be one of the warm set's, so the readings are dropped: it is cold either way.
    fake.reset();
    const csv = await distinctLocationsCsv(work, 1, 'CLUSTERCOLD', 900_000);
    await mustSucceed(runCli(['import', csv, '--quiet'], env));
    await deleteReadings(env.REDIS_URL);
    fake.latencyMs = 300;
    const answers = await Promise.all(
      Array.from({ length: options.coldLookups }, () =>
        fetch(`${balancer.url}/api/v1/shipments/DHL/CLUSTERCOLD000000000`).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { weather: unknown },
        })),
      ),
    );
    const failed = answers.find((answer) => answer.status !== 200 || !answer.body.weather);
    if (failed) throw new Error(`a cold lookup through nginx failed: ${JSON.stringify(failed)}`);
    fake.latencyMs = 0;
    const cold = {
      lookups: options.coldLookups,
      instances: 3,
      upstreamCalls: fake.weatherCalls,
      geocodes: fake.count('/zippopotam') + fake.count('/v1/search'),
    };
    return {
      nginx: spawnSync(nginxBinary(), ['-v'])
        .stderr.toString()
        .trim()
        .replace('nginx version: ', ''),
      instances,
      rollingRestart,
      sigkill,
      cold,
    };
  } finally {
    for (const balancer of balancers) await balancer.stop();
    await Promise.all(apis.map((api) => api.stop('SIGKILL')));
  }
}

/**
 * A fixed rate until `done` settles, then the totals. Its own small generator, not autocannon:
 * stopping autocannon mid-run aborts its requests in flight and counts them as errors, where
 * here every request sent is waited for, so `errors` is exactly what clients would have seen.
 */
async function loadUntil(
  url: string,
  rate: number,
  done: Promise<void>,
  path: () => string,
): Promise<Latency & { requests: number }> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  for (let sent = 0; !finished; sent++) {
    const due = started + (sent * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const begin = performance.now();
    const request: Promise<void> = fetch(`${url}${path()}`)
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      })
      .catch(() => void errors++)
      .finally(() => {
        latencies.push(performance.now() - begin);
        inFlight.delete(request);
      });
    inFlight.add(request);
  }
  await done;
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requestsPerS: Math.round((latencies.length * 1000) / (Date.now() - started)),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    requests: latencies.length,
  };
}
