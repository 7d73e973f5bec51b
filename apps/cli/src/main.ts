import { assertSupportedNode, loadConfigFromEnvironment } from '@app/config';
import { CommandFactory } from 'nest-commander';
import { CliModule, commandName } from './cli.module';
import { readParentCommandLine, withNestStartArgs } from './nest-start-args';
import { StderrLogger } from './stderr-logger';

/** Every failure ends as one line on stderr and exit status 1. */
function fail(error: unknown): void {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

async function bootstrap(): Promise<void> {
  assertSupportedNode();
  const config = await loadConfigFromEnvironment();
  process.argv = withNestStartArgs(process.argv, readParentCommandLine);
  // The database (embedded or a server) is the DatabaseModule's: opened, migrated on first
  // use and closed with the app, whatever the command.
  await CommandFactory.run(CliModule.register(config, commandName(process.argv)), {
    logger: new StderrLogger({ logLevels: ['warn', 'error'] }),
    serviceErrorHandler: fail,
  });
}

bootstrap().catch(fail);
