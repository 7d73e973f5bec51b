import { AppConfig } from '@app/config';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** How long a process waits for another one to hand the embedded database over. */
const WAIT_FOR_OWNER_MS = 120_000;
/** Connections the one PGlite instance multiplexes (the API's pool plus attached CLIs). */
const MAX_CONNECTIONS = 64;

interface LockContent {
  pid: number;
  /** Set once the owner serves the database to other processes. */
  port: number | null;
}

/** Injection token of the process's embedded database: an EmbeddedDatabase, or null. */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/**
 * The provider's factory: with no database configured, open (or attach to) the embedded one;
 * null when the config names a server. DatabaseLifecycle shares and closes it.
 */
export function openConfiguredEmbeddedDatabase(
  config: AppConfig,
): Promise<EmbeddedDatabase | null> {
  return config.database.embedded
    ? openEmbeddedDatabase(config.database.embeddedDir)
    : Promise.resolve(null);
}

export interface EmbeddedDatabase {
  /** `postgres://` URL of the wire-protocol server on 127.0.0.1. */
  url: string;
  /** Lets other processes attach (the API calls it once its schema is migrated). */
  share(): Promise<void>;
  /** Stops serving, flushes and closes the database, releases the lock (owner only). */
  close(): Promise<void>;
}

/**
 * PGlite is one database in one process, with one writer. The first process opens the data
 * directory and serves it over the Postgres wire protocol on 127.0.0.1; a lock file next to the
 * directory names that process and, once it shares, its port. Others attach to that server
 * instead of opening the files: so `npm run cli -- import` works while `npm start` runs. A process
 * that owns without sharing (a CLI run) makes others wait until it is done; a lock left by a dead
 * process is taken over.
 */
export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const lockPath = `${dataDir}.lock`;
  await mkdir(dirname(dataDir), { recursive: true });
  const deadline = Date.now() + WAIT_FOR_OWNER_MS;
  let waitingFor: number | undefined;

  for (;;) {
    if (await createLock(lockPath)) return own(dataDir, lockPath);
    const holder = await readLock(lockPath);
    if (holder && !isAlive(holder.pid)) {
      logger.warn(`Taking over the embedded database from process ${holder.pid}, which is gone`);
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (holder?.port) return attached(holder.port);
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded database in ${dataDir} is held by process ${holder?.pid ?? '?'}; stop it or set DATABASE_URL`,
      );
    }
    if (holder && waitingFor !== holder.pid) {
      waitingFor = holder.pid;
      logger.log(`Waiting for process ${holder.pid} to share or release the embedded database`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Runs PGlite's initdb in a short-lived child process. In this process it would leave ~450 MB
 * of WebAssembly memory behind for good (RSS 845 MB after a first start instead of the ~390 MB
 * of every later one); the child's memory goes with it. Said in the log, since it takes a while.
 */
async function createDataDir(dataDir: string): Promise<void> {
  new Logger('EmbeddedPostgres').log(
    `Creating the embedded database in ${dataDir} (first start only; this takes a few seconds)`,
  );
  const pglite = createRequire(__filename).resolve('@electric-sql/pglite');
  const script =
    `const { PGlite } = require(${JSON.stringify(pglite)});` +
    'PGlite.create(process.argv[1]).then((db) => db.close()).catch((error) => {' +
    ' process.stderr.write(String(error && error.message || error)); process.exit(1); });';
  // Made aside and renamed when complete, so an interrupted first start leaves no half database.
  const staging = `${dataDir}.new`;
  await rm(staging, { recursive: true, force: true });
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['-e', script, staging], (error, _stdout, stderr) =>
      error ? reject(new Error(stderr.trim() || error.message)) : resolve(),
    );
  });
  await rename(staging, dataDir);
}

async function own(dataDir: string, lockPath: string): Promise<EmbeddedDatabase> {
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    if (!existsSync(dataDir)) await createDataDir(dataDir);
    db = await PGlite.create(dataDir);
    server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: MAX_CONNECTIONS,
    });
    await server.start();
  } catch (error) {
    await db?.close().catch(() => undefined);
    await unlink(lockPath).catch(() => undefined);
    throw new Error(`Cannot open the embedded database in ${dataDir}: ${(error as Error).message}`);
  }
  const port = Number(server.getServerConn().split(':').pop());
  let closed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    share: () =>
      writeFile(lockPath, JSON.stringify({ pid: process.pid, port } satisfies LockContent)),
    close: async () => {
      if (closed) return;
      closed = true;
      await server.stop().catch(() => undefined);
      await db.close();
      await unlink(lockPath).catch(() => undefined);
    },
  };
}

function attached(port: number): EmbeddedDatabase {
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    share: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** Creates the lock file if nobody holds it; atomic thanks to O_EXCL. */
async function createLock(lockPath: string): Promise<boolean> {
  try {
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, port: null } satisfies LockContent),
      { flag: 'wx' },
    );
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readLock(lockPath: string): Promise<LockContent | null> {
  try {
    return JSON.parse(await readFile(lockPath, 'utf8')) as LockContent;
  } catch {
    return null; // gone, or being written: the caller looks again
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
