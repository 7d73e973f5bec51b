import { AppConfig } from '@app/config';
import { ImportModule, ShipmentImporter } from '@app/import';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { createHttpAdapter } from '../../apps/api/src/http-adapter';
import { createOpenApiDocument } from '../../apps/api/src/openapi';
import { recordResponses } from './contract';
import { startTestModule } from './modules';

/**
 * The API as main.ts builds it, in this process, on a given config (no listen). The scheduled
 * refresh and warm-up are stopped unless `jobs` is set, so they can't add upstream calls a test counts.
 */
export async function createApiApp(
  config: AppConfig,
  options: { jobs?: boolean; logger?: LoggerService } = {},
): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    imports: [ApiModule.register(config)],
  }).compile();
  const nest = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    logger: options.logger ?? ['error'],
  });
  const app = await configureApp(nest, config);
  recordResponses(nest.getHttpAdapter().getInstance(), createOpenApiDocument(app));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (!options.jobs) {
    const scheduler = app.get(SchedulerRegistry);
    scheduler.getCronJobs().forEach((job) => void job.stop());
    for (const name of scheduler.getIntervals()) scheduler.deleteInterval(name);
  }
  return app;
}

/** Imports a CSV through the real importer (migrating first), as the CLI does. */
export async function importFile(config: AppConfig, file: string): Promise<void> {
  const module = await startTestModule(config, ImportModule);
  try {
    await module.get(ShipmentImporter).import(file);
  } finally {
    await module.close();
  }
}

/** A Nest logger that keeps every line, so tests can count what an operator would read. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; context: string; message: string; stack?: string }[] = [];

  log(message: unknown, context?: string): void {
    this.add('log', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.add('warn', message, context);
  }
  error(message: unknown, stack?: string, context?: string): void {
    this.lines.push({ level: 'error', context: context ?? '', message: String(message), stack });
  }
  debug(message: unknown, context?: string): void {
    this.add('debug', message, context);
  }

  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  private add(level: string, message: unknown, context?: string): void {
    this.lines.push({ level, context: context ?? '', message: String(message) });
  }
}
