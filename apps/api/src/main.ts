import { loadConfigFromEnvironment } from '@app/config';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from './api.module';
import { configureApp } from './configure-app';

/** Longest wait for in-flight requests and connections to finish on shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

async function bootstrap(): Promise<void> {
  const config = await loadConfigFromEnvironment();
  const app = await NestFactory.create(ApiModule.register(config), { abortOnError: false });
  configureApp(app);
  closeOnSignals(app);
  await app.listen(config.http.port, config.http.host);
  const url = `http://localhost:${config.http.port}`;
  new Logger('Bootstrap').log(`Listening on ${url} (Swagger UI: ${url}/api/docs)`);
}

/**
 * SIGINT (Ctrl-C) and SIGTERM stop accepting connections, let in-flight requests finish, close
 * the pools, and exit 0. Nest's own shutdown hooks re-raise the signal, which reads as a crash.
 */
function closeOnSignals(app: INestApplication): void {
  const logger = new Logger('Shutdown');
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.log(`${signal} received: finishing in-flight requests`);
    setTimeout(() => {
      logger.error(`Still busy after ${SHUTDOWN_GRACE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

bootstrap().catch((error: unknown) => {
  // One line an operator can act on: the config variable, the database target, the port in use.
  console.error(`api: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
