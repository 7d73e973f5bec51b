import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, SAMPLE_CSV } from '../support/paths';

const run = promisify(execFile);

/** How operators start things: `npm start` / `npm run cli` (build if changed) and `nest start cli`. */
describe('Start-up scripts (real processes)', () => {
  it('builds nothing when the bundles are newer than the sources (a second npm start)', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      join(ROOT, 'scripts/build-if-changed.js'),
      'api',
      'cli',
    ]);
    expect(stdout + stderr).toBe('');
  });

  it('runs `nest start cli <nest options> import <file> --dry-run` with our arguments only', async () => {
    const data = await mkdtemp(join(tmpdir(), 'nest-start-'));
    const { stdout, stderr } = await run(
      join(ROOT, 'node_modules/.bin/nest'),
      [
        'start',
        'cli',
        // Nest's own options, with values, where Nest forwards them to our CLI: skipped.
        '--webpackPath',
        'test/fixtures/nest-start/webpack.config.js',
        '--entryFile',
        'main',
        'import',
        SAMPLE_CSV,
        '--dry-run',
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          EMBEDDED_DATABASE_DIR: join(data, 'pglite'),
        },
      },
    ).finally(() => rm(data, { recursive: true, force: true }));
    expect(stdout).toMatch(/Dry run of .*shipment\.csv in [\d.]+ s: nothing was written/);
    expect(stdout).toMatch(/shipments\s+5 in the file/);
    expect(stderr).not.toMatch(/error/i);
  }, 120_000);
});
