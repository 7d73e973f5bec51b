import { loadConfigFromEnvironment } from '@app/config';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { readParentCommandLine, withNestStartArgs } from './nest-start-args';
import { StderrLogger } from './stderr-logger';

/** Every failure ends as one line on stderr and exit status 1. */
function fail(error: unknown): void {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

async function bootstrap(): Promise<void> {
  const config = await loadConfigFromEnvironment();
  process.argv = withNestStartArgs(process.argv, readParentCommandLine);
  await CommandFactory.run(CliModule.register(config), {
    logger: new StderrLogger({ logLevels: ['warn', 'error'] }),
    serviceErrorHandler: fail,
  });
}

bootstrap().catch(fail);
