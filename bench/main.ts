import { join } from 'node:path';
import { ROOT } from '../test/support/paths';
import { clusterMarkdown } from './report';
import { FULL, runBench, runClusterBench, SMOKE, toMarkdown } from './run';

/**
 * `npm run bench` (full sizes), `npm run bench -- --smoke` (every scenario in seconds) or
 * `npm run bench -- --cluster` (scenario 8 alone); results in bench/results/.
 */
async function main(): Promise<void> {
  const options = {
    ...(process.argv.includes('--smoke') ? SMOKE : FULL),
    adminUrl: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14',
    outDir: join(ROOT, 'bench/results'),
  };
  if (process.argv.includes('--cluster')) {
    process.stdout.write(`\n${clusterMarkdown(await runClusterBench(options))}\n`);
    return;
  }
  const results = await runBench(options);
  process.stdout.write(`\n${toMarkdown(results)}\n${results.warm.plan}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
