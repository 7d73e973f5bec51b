import { join } from 'node:path';
import { ROOT } from '../test/support/paths';
import { FULL, runBench, SMOKE, toMarkdown } from './run';

/** `npm run bench` (full sizes) or `npm run bench -- --smoke`; results in bench/results/. */
async function main(): Promise<void> {
  const sizes = process.argv.includes('--smoke') ? SMOKE : FULL;
  const results = await runBench({
    ...sizes,
    adminUrl: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14',
    outDir: join(ROOT, 'bench/results'),
  });
  process.stdout.write(`\n${toMarkdown(results)}\n${results.warm.plan}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
