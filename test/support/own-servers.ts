import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);
const PG_BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * `describe` for failure tests that start servers of their own (a throwaway PostgreSQL cluster,
 * a redis-server to freeze): skipped with the reason when the binaries are missing, a failure
 * under REQUIRE_SERVICES=1. The shared servers are never stopped or reconfigured.
 */
export function describeWithOwnServers(
  name: string,
  needs: ('postgres' | 'redis')[],
  body: () => void,
): void {
  const missing = needs.filter((need) =>
    need === 'postgres' ? !existsSync(join(PG_BIN, 'initdb')) : !onPath('redis-server'),
  );
  if (missing.length === 0) return describe(name, body);
  const reason = `needs ${missing.map((m) => (m === 'postgres' ? `${PG_BIN}/initdb` : 'redis-server')).join(' and ')}`;
  if (process.env.REQUIRE_SERVICES === '1') {
    describe(name, () => it('has its servers', () => expect(reason).toBe('')));
  } else {
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, command)));
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

export interface OwnRedis {
  url: string;
  /** SIGSTOP: the server keeps its connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export interface OwnRedisOptions {
  /** Serve TLS only (rediss://), with this certificate and key. */
  tls?: { cert: string; key: string };
  /** An ACL user that must log in; the default user is then off. */
  user?: { name: string; password: string };
}

/** A redis-server of the test's own on a free loopback port, keeping nothing on disk. */
export async function startOwnRedis(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = await freePort();
  const { tls, user } = options;
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push(
    ...(tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          tls.cert,
          '--tls-key-file',
          tls.key,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)]),
  );
  if (user)
    args.push(
      '--user',
      user.name,
      'on',
      `>${user.password}`,
      '~*',
      '&*',
      '+@all',
      '--user',
      'default',
      'off',
    );
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const scheme = tls ? 'rediss' : 'redis';
  const login = user ? `${user.name}:${encodeURIComponent(user.password)}@` : '';
  const url = `${scheme}://${login}127.0.0.1:${port}`;
  const cli = [
    '-p',
    String(port),
    ...(tls ? ['--tls', '--insecure'] : []),
    ...(user ? ['--user', user.name, '--pass', user.password, '--no-auth-warning'] : []),
  ];
  await waitFor(async () => {
    const { stdout } = await run('redis-cli', [...cli, 'ping']);
    return stdout.trim() === 'PONG';
  }, 'redis-server');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it (openssl), in `dir`. */
export async function makeTestCertificates(
  dir: string,
): Promise<{ ca: string; cert: string; key: string }> {
  const [ca, caKey, cert, key, csr, ext] = [
    'ca.crt',
    'ca.key',
    'server.crt',
    'server.key',
    'server.csr',
    'ext',
  ].map((name) => join(dir, name));
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '1',
    '-subj',
    '/CN=shipments test CA',
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    csr,
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '1',
    '-extfile',
    ext,
  ]);
  return { ca, cert, key };
}

export interface OwnPostgres {
  /** Admin URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Runs a PostgreSQL tool, as the `postgres` user when the tests run as root. */
async function postgresTool(tool: string, args: string[]): Promise<void> {
  const bin = join(PG_BIN, tool);
  await (userInfo().uid === 0
    ? run('runuser', ['-u', 'postgres', '--', bin, ...args])
    : run(bin, args));
}

/** A directory the server may own (PostgreSQL refuses to run as root). */
async function serverDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'own-pg-'));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(gid));
    await chmod(dir, 0o700);
  }
  return dir;
}

/** Starts the cluster in `dir`/data on a free loopback port, with start/stop/destroy. */
async function runCluster(dir: string, port: number): Promise<OwnPostgres> {
  const data = join(dir, 'data');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    postgresTool('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => postgresTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A throwaway PostgreSQL cluster (initdb, trust auth, replication allowed from loopback) on a
 * free loopback port.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await serverDir();
  const data = join(dir, 'data');
  await postgresTool('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  return runCluster(dir, await freePort());
}

/**
 * A streaming replica of `primary` (pg_basebackup -R: a hot standby that follows the primary's
 * WAL), on a free loopback port of its own.
 */
export async function startOwnReplica(primary: OwnPostgres): Promise<OwnPostgres> {
  const dir = await serverDir();
  await postgresTool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    join(dir, 'data'),
    '-R',
    '-X',
    'stream',
    '--no-sync',
  ]);
  return runCluster(dir, await freePort());
}
