import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { contractViolations, takeRecorded } from './contract';
import { ROOT } from './paths';

/**
 * The contract test: after each test file, every response its API apps gave is checked against
 * the OpenAPI document (see contract.ts). A violation fails the file, naming the response. What
 * was covered goes to dist/contract/ for the summary at the end of the run.
 */
afterAll(() => {
  const recorded = takeRecorded();
  if (recorded.length === 0) return;
  const violations: string[] = [];
  const covered = new Set<string>();
  for (const { document, exchanges } of recorded) {
    const result = contractViolations(document, exchanges);
    violations.push(...result.violations);
    result.covered.forEach((entry) => covered.add(entry));
  }
  const dir = join(ROOT, 'dist', 'contract');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${basename(expect.getState().testPath ?? 'unknown')}.json`),
    JSON.stringify([...covered]),
  );
  if (violations.length > 0) {
    throw new Error(
      `${violations.length} response(s) break the OpenAPI document:\n  ${[...new Set(violations)].join('\n  ')}`,
    );
  }
});
