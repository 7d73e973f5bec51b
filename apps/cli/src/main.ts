import { assertSupportedNode, loadConfigFromEnvironment } from '@app/config';
import { isParseWorker, runParseWorker } from '@app/import';
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
  // With IMPORT_WORKER an import parses in a worker thread started from this same bundle.
  const module = CliModule.register(
    config,
    commandName(process.argv),
    config.importWorker ? __filename : undefined,
  );
  await CommandFactory.run(module, {
    logger: new StderrLogger({ logLevels: ['warn', 'error'] }),
    serviceErrorHandler: fail,
  });
}

if (isParseWorker()) void runParseWorker();
else bootstrap().catch(fail);
