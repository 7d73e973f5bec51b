import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults, ClusterBenchResults } from './options';

const LAYER_NAMES: Record<string, string> = {
  rateLimits: 'Redis rate limits',
  metrics: 'metrics',
  accessLog: 'the JSON access log (to a file)',
};

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** The results as BENCHMARKS.md shows them, and on disk. */
export function toMarkdown(r: BenchResults): string {
  const rows = [
    [
      '1. warm lookup (API, whole edge on)',
      `${r.warm.api.requestsPerS} req/s`,
      `p50 ${r.warm.api.p50Ms} ms, p99 ${r.warm.api.p99Ms} ms, errors ${r.warm.api.errors}`,
    ],
    [
      '2. floor (node:http, 1 SQL + 1 GET)',
      `${r.warm.floor.requestsPerS} req/s`,
      `p50 ${r.warm.floor.p50Ms} ms, p99 ${r.warm.floor.p99Ms} ms; lookup/floor = ${r.warm.ratio}`,
    ],
    [
      '2. first floor (query unnamed, planned per request)',
      `${r.warm.floorUnprepared.requestsPerS} req/s`,
      `p50 ${r.warm.floorUnprepared.p50Ms} ms, p99 ${r.warm.floorUnprepared.p99Ms} ms`,
    ],
    [
      `1c. warm lookup over a hot set of ${r.warm.hotSet.shipments} (API, whole edge on)`,
      `${r.warm.hotSet.api.requestsPerS} req/s`,
      `p50 ${r.warm.hotSet.api.p50Ms} ms, p99 ${r.warm.hotSet.api.p99Ms} ms; floor on the same set ${r.warm.hotSet.floor.requestsPerS} req/s; lookup/floor = ${r.warm.hotSet.ratio}`,
    ],
    [
      '1b. warm lookup, edge layers off',
      `${r.edge.off.requestsPerS} req/s`,
      `p99 ${r.edge.off.p99Ms} ms; off/floor = ${r.edge.offRatio}; API CPU ${r.edge.off.cpuUsPerRequest} µs/request`,
    ],
    [
      '1b. ... with all three on',
      `${r.edge.allOn.requestsPerS} req/s`,
      `p99 ${r.edge.allOn.p99Ms} ms; all on/floor = ${r.edge.allOnRatio}; ${percent(r.edge.allOnCost)} fewer req/s than off; API CPU +${r.edge.allOn.cpuUsAdded} µs/request`,
    ],
    [
      '1b. ... all on, no lookup cache',
      `${r.edge.noCache.requestsPerS} req/s`,
      `p99 ${r.edge.noCache.p99Ms} ms; /floor = ${r.edge.noCache.ratio}; API CPU ${r.edge.noCache.cpuUsPerRequest} µs/request`,
    ],
    ...Object.entries(r.edge.layers).map(([layer, latency]) => [
      `1b. ... with only ${LAYER_NAMES[layer] ?? layer}`,
      `${latency.requestsPerS} req/s`,
      `p99 ${latency.p99Ms} ms; ${percent(latency.cost)} fewer req/s than off; API CPU ${latency.cpuUsAdded >= 0 ? '+' : ''}${latency.cpuUsAdded} µs/request`,
    ]),
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
      `5b. lookups at ${r.importWhileServing.offered} req/s during the import`,
      `p99 ${r.importWhileServing.p99Ms} ms`,
      `p50 ${r.importWhileServing.p50Ms} ms, errors ${r.importWhileServing.errors}; the import beside it took ${r.importWhileServing.importWallS} s`,
    ],
    [
      `6. refresh ${r.refresh.locations} locations at ${r.refresh.perMinute}/min`,
      `${r.refresh.wallS} s`,
      `calls ${r.refresh.calls}, peak concurrency ${r.refresh.peakConcurrency}, most calls in any 60 s ${r.refresh.maxInAnyMinute}`,
    ],
    [
      `7. embedded default (PGlite, no Redis), ${r.embedded.shipments} shipments`,
      `${r.embedded.warm.requestsPerS} req/s`,
      `p50 ${r.embedded.warm.p50Ms} ms, p99 ${r.embedded.warm.p99Ms} ms, errors ${r.embedded.warm.errors}; at ${r.fixedRate.offered} req/s offered: p99 ${r.embedded.fixedRate.p99Ms} ms, errors ${r.embedded.fixedRate.errors}`,
    ],
  ];
  return [
    `Commit ${r.commit}, ${r.startedAt}; ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, Node ${r.machine.node}; median of ${r.rounds} round(s).`,
    '',
    '| scenario | figure | detail |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    clusterMarkdown(r),
  ].join('\n');
}

const share = (value: number): string => `${Math.round(value * 100)} %`;

/** Scenario 8's table, and the CPU of each part while nginx fronted 1, 2 and 3 instances. */
export function clusterMarkdown(r: ClusterBenchResults): string {
  const c = r.cluster;
  const rows = [
    ...c.instances.map(({ count, latency, cpu }) => [
      `8. nginx + ${count} instance${count > 1 ? 's' : ''}`,
      `${latency.requestsPerS} req/s`,
      `p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, errors ${latency.errors}; CPU of the machine: API ${share(cpu.api)}, nginx ${share(cpu.nginx)}, PostgreSQL ${share(cpu.postgres)}, Redis ${share(cpu.redis)}, load generator ${share(cpu.loadGenerator)}`,
    ]),
    [
      `8. rolling restart of 3 instances at ${c.rollingRestart.offered} req/s`,
      `${c.rollingRestart.errors} failed`,
      `of ${c.rollingRestart.requests} requests; restarts took ${c.rollingRestart.restartS} s; p99 ${c.rollingRestart.p99Ms} ms`,
    ],
    [
      `8. SIGKILL of 1 of 3 instances at ${c.sigkill.offered} req/s`,
      `${c.sigkill.errors} failed`,
      `of ${c.sigkill.requests} requests; p99 ${c.sigkill.p99Ms} ms`,
    ],
    [
      `8. one cold location, ${c.cold.lookups} lookups over ${c.cold.instances} instances`,
      `${c.cold.upstreamCalls} upstream call(s)`,
      `${c.cold.geocodes} geocode(s)`,
    ],
  ];
  return [
    `Cluster (${c.nginx}, commit ${r.commit}, ${r.machine.cores} cores):`,
    '',
    '| scenario | figure | detail |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
}

export async function writeResults(
  dir: string,
  results: BenchResults | ClusterBenchResults,
  name: 'latest' | 'cluster' = 'latest',
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = 'warm' in results ? toMarkdown(results) : clusterMarkdown(results);
  await writeFile(join(dir, `${name}.md`), markdown);
}
