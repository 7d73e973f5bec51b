// An in-memory PGlite served over the Postgres wire protocol on 127.0.0.1, for one test database.
// Plain Node on purpose: PGlite loads its WebAssembly with import(), which jest's sandbox refuses.
// Prints "READY <port>" when it listens; stops on SIGTERM or when its parent goes away.
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function main() {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 64 });
  await server.start();
  const stop = async () => {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop); // the test process died
  process.stdin.resume();
  process.stdout.write(`READY ${server.getServerConn().split(':').pop()}\n`);
}

main().catch((error) => {
  process.stderr.write(`embedded postgres for tests failed: ${error.message}\n`);
  process.exit(1);
});
