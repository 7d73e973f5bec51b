import { assertSupportedNode, loadConfigFromEnvironment } from '@app/config';
import { openConfiguredDatabase } from '@app/shipments';
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
  assertSupportedNode();
  const loaded = await loadConfigFromEnvironment();
  process.argv = withNestStartArgs(process.argv, readParentCommandLine);
  // Attaches to the API's embedded database when it runs, or opens it for this command alone.
  const { config, embedded } = await openConfiguredDatabase(loaded);
  try {
    await CommandFactory.run(CliModule.register(config), {
      logger: new StderrLogger({ logLevels: ['warn', 'error'] }),
      serviceErrorHandler: fail,
    });
  } finally {
    await embedded?.close();
  }
}

bootstrap().catch(fail);
