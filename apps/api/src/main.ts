import { assertSupportedNode, loadConfigFromEnvironment } from '@app/config';
import { ShipmentsRepository } from '@app/shipments';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { ApiModule } from './api.module';
import { printBanner } from './banner';
import { configureApp } from './configure-app';
import { createHttpAdapter } from './http-adapter';
import { ShutdownState } from './health/shutdown-state';
import { createLoggers, PinoNestLogger } from './logging/logger';

/** Longest wait for in-flight requests and connections to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

async function bootstrap(): Promise<void> {
  assertSupportedNode();
  const config = await loadConfigFromEnvironment();
  const { logger, accessLog } = createLoggers(config);
  // Creating the app connects and migrates the database (DatabaseModule) before it listens.
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.register(config),
    createHttpAdapter(config, logger),
    { abortOnError: false, logger: new PinoNestLogger(logger) },
  );
  await configureApp(app, config, { accessLog });
  closeOnSignals(app, config.http.shutdownDelayMs);
  try {
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    // The port is taken, say: close the pools and the embedded database before exiting.
    await app.close().catch(() => undefined);
    throw error;
  }
  printBanner(config, await app.get(ShipmentsRepository).findFirstKey(), logger);
}

/**
 * SIGTERM (what an orchestrator sends) first fails readiness and keeps serving for
 * SHUTDOWN_DELAY_MS, the time a load balancer takes to notice and stop sending requests here.
 * Then, as at once for SIGINT (Ctrl-C), it stops accepting connections, lets in-flight requests
 * finish, closes the pools and the embedded database (app.close()) and exits 0. Nest's own
 * shutdown hooks re-raise the signal, which reads as a crash.
 */
function closeOnSignals(app: NestFastifyApplication, delayMs: number): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // npm passes Ctrl-C on too: the second signal must not cut the first one's shutdown short.
    if (closing) return;
    closing = true;
    app.get(ShutdownState).begin();
    const delay = signal === 'SIGTERM' ? delayMs : 0;
    if (delay > 0) {
      logger.log(
        `${signal} received: not ready from now on; serving for ${delay} ms, then closing`,
      );
    }
    setTimeout(() => {
      logger.log(`${delay > 0 ? 'Closing' : `${signal} received`}: finishing in-flight requests`);
      setTimeout(() => {
        logger.error(`Still busy after ${SHUTDOWN_GRACE_MS} ms; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      // The HTTP server first: Nest's close() tears the modules (pools, Redis) down before it
      // stops the server, which would cut the requests still running.
      stopAcceptingAndDrain(app)
        .then(() => app.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(`Shutdown failed: ${String(error)}`);
            process.exit(1);
          },
        );
    }, delay);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Stops accepting connections and resolves when the requests in flight have been answered: a
 * keep-alive connection is closed as soon as its last request is done.
 */
async function stopAcceptingAndDrain(app: NestFastifyApplication): Promise<void> {
  const server: Server = app.getHttpServer();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await app.getHttpAdapter().getInstance().close();
  } finally {
    clearInterval(sweep);
  }
}

bootstrap().catch((error: unknown) => {
  // One line an operator can act on: the config variable, the database target, the port in use.
  console.error(`api: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
