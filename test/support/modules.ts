import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/infra';
import { MIGRATIONS } from '@app/shipments';
import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';

/**
 * `module` on `config` and the database, registered as the CLI does (connecting on the first
 * query), compiled and started.
 */
export async function startTestModule(config: AppConfig, module: Type): Promise<TestingModule> {
  const compiled = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      DatabaseModule.forRoot({
        migrations: MIGRATIONS,
        connect: 'first-query',
        shareEmbedded: false,
      }),
      module,
    ],
  }).compile();
  return compiled.init();
}
