import type { ClusterOptions, ClusterResults } from './cluster';
import type { Latency } from './support';

/** Sizes and durations; `smoke` runs every scenario in seconds so the suite can keep it working. */
export interface BenchOptions {
  rounds: number;
  warm: {
    shipments: number;
    locations: number;
    durationS: number;
    connections: number;
    /** Scenario 1c: lookups among the first `hotSet` shipments only (receivers reloading). */
    hotSet: number;
  };
  fixedRate: { rate: number; durationS: number };
  cold: { locations: number; latencyMs: number };
  import: { shipments: number };
  /** Lookups offered per second while an import of `import.shipments` runs beside the API. */
  importWhileServing: { rate: number };
  refresh: { locations: number; latencyMs: number; perMinute: number };
  /** Shipments of the embedded default's run (PGlite, no Redis). */
  embedded: { shipments: number };
  /** Scenario 8: nginx in front of 1-3 instances, a rolling restart, a SIGKILL, a cold location. */
  cluster: ClusterOptions;
  adminUrl: string;
  redisUrl: string;
  outDir: string | null;
}

export const FULL: Omit<BenchOptions, 'adminUrl' | 'redisUrl' | 'outDir'> = {
  rounds: 3,
  warm: { shipments: 50_000, locations: 500, durationS: 10, connections: 32, hotSet: 5000 },
  fixedRate: { rate: 1000, durationS: 20 },
  cold: { locations: 2000, latencyMs: 100 },
  import: { shipments: 500_000 },
  importWhileServing: { rate: 200 },
  // 5,000 calls at 600/min take 8.3 min by themselves; the default run keeps 1,000 (see BENCHMARKS.md).
  refresh: {
    locations: Number(process.env.BENCH_REFRESH_LOCATIONS ?? 1000),
    latencyMs: 50,
    perMinute: 600,
  },
  embedded: { shipments: 10_000 },
  cluster: { durationS: 10, warmUpS: 15, connections: 32, rate: 300, coldLookups: 30 },
};

export const SMOKE: Omit<BenchOptions, 'adminUrl' | 'redisUrl' | 'outDir'> = {
  rounds: 1,
  warm: { shipments: 200, locations: 20, durationS: 1, connections: 4, hotSet: 20 },
  fixedRate: { rate: 50, durationS: 1 },
  cold: { locations: 20, latencyMs: 20 },
  import: { shipments: 500 },
  importWhileServing: { rate: 20 },
  refresh: { locations: 20, latencyMs: 10, perMinute: 600 },
  embedded: { shipments: 100 },
  cluster: { durationS: 1, warmUpS: 1, connections: 4, rate: 50, coldLookups: 9 },
};

export interface BenchResults {
  machine: Record<string, string | number>;
  commit: string;
  startedAt: string;
  rounds: number;
  warm: {
    api: Latency;
    /** The floor as a minimal server written for speed would do it: a named prepared statement. */
    floor: Latency;
    ratio: number;
    /** The first floor, with its query unnamed (parsed and planned per request): once, for the record. */
    floorUnprepared: Latency;
    /** The same API and floor over a hot set, where the lookup cache holds every shipment. */
    hotSet: { shipments: number; api: Latency; floor: Latency; ratio: number };
    sqlRoundTrips: number;
    plan: string;
  };
  /**
   * The warm lookup with the edge's layers (Redis rate limits, metrics, JSON access log) all off,
   * and each alone: `cost` is the share of the off figure's req/s it takes.
   */
  edge: {
    off: Latency & { cpuUsPerRequest: number };
    /** `cpuUsAdded`: the API's CPU per request over the off figure's, in microseconds. */
    layers: Record<string, Latency & { cost: number; cpuUsPerRequest: number; cpuUsAdded: number }>;
    /** All three on, measured in the same rotation as `off` and the layers. */
    allOn: Latency & { cpuUsPerRequest: number; cpuUsAdded: number };
    /** Share of req/s all three together take (allOn against off). */
    allOnCost: number;
    /** The lookup with the layers off, against the floor. */
    offRatio: number;
    /** All three on, against the floor, from the same rotation. */
    allOnRatio: number;
    /** All three on without the lookup cache (LOOKUP_CACHE_SIZE=0), and against the floor. */
    noCache: Latency & { cpuUsPerRequest: number; ratio: number };
  };
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
  importWhileServing: Latency & { offered: number; importWallS: number };
  embedded: { shipments: number; warm: Latency; fixedRate: Latency };
  cluster: ClusterResults;
  refresh: {
    locations: number;
    wallS: number;
    calls: number;
    peakConcurrency: number;
    perMinute: number;
    maxInAnyMinute: number;
  };
}

/** What `npm run bench -- --cluster` gives: scenario 8 alone. */
export type ClusterBenchResults = Pick<
  BenchResults,
  'machine' | 'commit' | 'startedAt' | 'cluster'
>;
