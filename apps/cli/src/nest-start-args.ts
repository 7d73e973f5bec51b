import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';

/** An option of `nest start`, as the installed Nest CLI declares it. */
export interface NestOption {
  flags: string[];
  /** `<value>`: always takes the next argument; `[value]`: takes it unless it is an option. */
  value: 'none' | 'required' | 'optional';
}

/**
 * `nest start cli import shipment.csv` (the product card's form) runs our bundle with only some
 * of its arguments: the Nest CLI forwards what follows the first `--`-option, its own options
 * included (`nest start cli --watch import x.csv` forwards `--watch import x.csv`), and drops
 * the rest. So when we were started by `nest start`, our arguments are rebuilt from its command
 * line: everything but its own options (with their values, read from the installed Nest CLI,
 * so none is missed) and the app name; everything after `--` verbatim. Any other start
 * (`node dist/apps/cli/main.js ...`, `npm run cli -- ...`) returns `argv` unchanged.
 */
export function withNestStartArgs(
  argv: string[],
  parentCommandLine: () => string[] | null,
  nestOptions: (nestBin: string) => NestOption[] | null = loadNestStartOptions,
): string[] {
  const parent = parentCommandLine();
  if (!parent) return argv;
  const start = parent.indexOf('start');
  const nestBin = parent
    .slice(0, Math.max(start, 0))
    .find((arg) => /(^|[/\\])nest(\.js)?$/.test(arg));
  if (start < 0 || !nestBin) return argv;
  const options = nestOptions(nestBin);
  if (!options) return argv;
  return [...argv.slice(0, 2), ...ourArguments(parent.slice(start + 1), options)];
}

function ourArguments(args: string[], options: NestOption[]): string[] {
  const byFlag = new Map(options.flatMap((option) => option.flags.map((flag) => [flag, option])));
  const ours: string[] = [];
  let app: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return [...ours, ...args.slice(i + 1)];
    const option = byFlag.get(arg.split('=')[0]);
    if (option) {
      const inline = arg.includes('=');
      const next = args[i + 1];
      const takesNext =
        !inline &&
        next !== undefined &&
        (option.value === 'required' || (option.value === 'optional' && !next.startsWith('-')));
      if (takesNext) i++;
    } else if (app === undefined && !arg.startsWith('-')) {
      app = arg;
    } else {
      ours.push(arg);
    }
  }
  return ours;
}

/**
 * The options of `nest start` from the Nest CLI that started us (its own commander definition),
 * or null if that CLI can't be loaded (then argv is used as given).
 */
export function loadNestStartOptions(nestBin: string): NestOption[] | null {
  try {
    // The Nest CLI's own files, not bundled: a require rooted at its binary.
    const load = createRequire(realpathSync(nestBin));
    const { StartCommand } = load('../commands/start.command') as {
      StartCommand: new (action: unknown) => { load(program: unknown): void };
    };
    const { Command } = load('commander') as { Command: new () => CommanderCommand };
    const program = new Command();
    new StartCommand({ handle: () => Promise.resolve() }).load(program);
    const command = program.commands.find((candidate) => candidate.name() === 'start');
    return (command?.options ?? []).map((option) => ({
      flags: [option.short, option.long].filter((flag): flag is string => !!flag),
      value: option.required ? 'required' : option.optional ? 'optional' : 'none',
    }));
  } catch {
    return null;
  }
}

interface CommanderCommand {
  commands: CommanderCommand[];
  options: { short?: string; long?: string; required?: boolean; optional?: boolean }[];
  name(): string;
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
