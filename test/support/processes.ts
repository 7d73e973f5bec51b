import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths';

export const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
export const CLI_MAIN = join(ROOT, 'dist/apps/cli/main.js');

/** Only what a process needs, so the developer's own variables never leak into a test. */
function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // No balancer to wait for: a test's SIGTERM drains at once unless it asks for the delay.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    SHUTDOWN_DELAY_MS: '0',
    ...env,
  };
}

function assertBuilt(main: string): void {
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion, from a scratch directory so no .env file is picked up. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = tmpdir(),
  /** Written to the CLI's standard input, which is then closed. */
  input?: Buffer,
): Promise<CliResult> {
  assertBuilt(CLI_MAIN);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd,
      env: baseEnv(env),
    });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApi {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built API and waits until it listens. With `stdoutFile` its standard output (the
 * JSON log) goes to that file, as in production, instead of through this process.
 */
export async function startApi(
  env: Record<string, string>,
  options: {
    cwd?: string;
    timeoutMs?: number;
    stdoutFile?: string;
    /** Another build of the API (the bench's side-by-side comparisons). */
    main?: string;
    /** A given port (an instance restarted behind a balancer); a free one otherwise. */
    port?: number;
  } = {},
): Promise<RunningApi> {
  const { cwd = tmpdir(), timeoutMs = 45_000, stdoutFile, main = API_MAIN } = options;
  assertBuilt(main);
  const port = options.port ?? (await freePort());
  // Appended to: only what this process writes counts (an earlier one's banner must not).
  const logFrom = stdoutFile && existsSync(stdoutFile) ? readFileSync(stdoutFile).length : 0;
  const ownLog = (): string =>
    stdoutFile ? readFileSync(stdoutFile).subarray(logFrom).toString() : '';
  const logFd = stdoutFile ? openSync(stdoutFile, 'a') : null;
  const child = spawn(process.execPath, [main], {
    cwd,
    env: baseEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['pipe', logFd ?? 'pipe', 'pipe'],
  });
  if (logFd !== null) closeSync(logFd);
  let output = '';
  let logged = '';
  const everything = (): string => logged + output;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let poll: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`API did not start within ${timeoutMs} ms:\n${everything()}`)),
      timeoutMs,
    );
    const check = (): void => {
      if (everything().includes('Shipment tracking API is up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      check();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    if (stdoutFile) {
      poll = setInterval(() => {
        logged = ownLog();
        check();
      }, 100);
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code} before listening:\n${everything()}`));
    });
  })
    .catch((error: unknown) => {
      child.kill('SIGKILL'); // never leave a half-started server behind
      throw error;
    })
    .finally(() => clearInterval(poll));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => ownLog() + output,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
