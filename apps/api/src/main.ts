import { loadConfigFromEnvironment } from '@app/config';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from './api.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const config = await loadConfigFromEnvironment();
  const app = await NestFactory.create(ApiModule.register(config), { abortOnError: false });
  configureApp(app).enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  const url = `http://localhost:${config.http.port}`;
  new Logger('Bootstrap').log(`Listening on ${url} (Swagger UI: ${url}/api/docs)`);
}

bootstrap().catch((error: unknown) => {
  // One line an operator can act on: the config variable, the database target, the port in use.
  console.error(`api: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
