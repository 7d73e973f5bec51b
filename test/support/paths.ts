import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder up with package.json (the bench runs compiled, elsewhere). */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || dir.includes(`${join('dist', 'bench')}`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = findRoot(__dirname);
export const FIXTURES = join(ROOT, 'test/fixtures');
export const SAMPLE_CSV = join(ROOT, 'shipment.csv');
export const fixture = (name: string): string => join(FIXTURES, name);
