import { readFileSync } from 'node:fs';

/** Options of `nest start` itself that take a value, so their value is not one of our arguments. */
const NEST_OPTIONS_WITH_VALUE = new Set([
  '-c',
  '--config',
  '-p',
  '--path',
  '-b',
  '--builder',
  '-e',
  '--exec',
  '--env-file',
  '-d',
  '--debug',
]);

/**
 * `nest start cli import shipment.csv` (the product card's form) runs our bundle with no
 * arguments: the Nest CLI forwards only what follows `--`. When we were started that way, the
 * arguments are still in the parent's command line, so take them from there. Any other start
 * (`node dist/apps/cli/main.js ...`, `nest start cli -- ...`) returns `argv` unchanged.
 */
export function withNestStartArgs(
  argv: string[],
  parentCommandLine: () => string[] | null,
): string[] {
  if (argv.length > 2) return argv;
  const parent = parentCommandLine();
  if (!parent) return argv;
  const start = parent.indexOf('start');
  const isNestCli = parent.slice(0, start).some((arg) => /(^|[/\\])nest(\.js)?$/.test(arg));
  if (start < 0 || !isNestCli || parent.includes('--')) return argv;

  const args: string[] = [];
  let app: string | undefined;
  for (let i = start + 1; i < parent.length; i++) {
    const arg = parent[i];
    if (NEST_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (arg.startsWith('-') && app === undefined) continue;
    else if (app === undefined) app = arg;
    else args.push(arg);
  }
  return args.length > 0 ? [...argv, ...args] : argv;
}

/**
 * The command line of the nearest ancestor that is `nest start` (the Nest CLI may put a shell in
 * between), on systems with /proc (Linux); null elsewhere or when there is none.
 */
export function readParentCommandLine(): string[] | null {
  let pid = process.ppid;
  for (let depth = 0; depth < 3 && pid > 1; depth++) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .filter((arg) => arg.length > 0);
      if (args.includes('start')) return args;
      // Field 4 of /proc/<pid>/stat is the parent pid; the name before it may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  }
  return null;
}
