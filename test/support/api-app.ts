import { AppConfig } from '@app/config';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/configure-app';

/** The API as main.ts builds it, in this process, on a given config (no listen). */
export async function createApiApp(config: AppConfig): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    imports: [ApiModule.register(config)],
  }).compile();
  const app = configureApp(module.createNestApplication({ logger: ['error'] }));
  await app.init();
  return app;
}
