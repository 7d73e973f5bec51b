import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config';

/** Provides the validated AppConfig to every module of an app. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/**
 * Reads `.env` from the working directory through @nestjs/config (real environment variables
 * win over the file) and validates the result. Apps call this before creating the Nest app so a
 * bad value stops start-up with one line.
 */
export async function loadConfigFromEnvironment(envFilePath = '.env'): Promise<AppConfig> {
  let config: AppConfig | undefined;
  await ConfigModule.forRoot({
    envFilePath,
    validate: (env) => {
      config = loadConfig({ ...env, ...process.env });
      return env;
    },
  });
  return config ?? loadConfig();
}
