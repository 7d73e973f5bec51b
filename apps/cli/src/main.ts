import { assertSupportedNode, loadConfigFromEnvironment, withDatabaseUrl } from '@app/config';
import { EmbeddedDatabase, openEmbeddedDatabase } from '@app/shipments';
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
  let config = await loadConfigFromEnvironment();
  process.argv = withNestStartArgs(process.argv, readParentCommandLine);
  // Attaches to the API's embedded database when it runs, or opens it for this command alone.
  let embedded: EmbeddedDatabase | null = null;
  if (config.database.embedded) {
    embedded = await openEmbeddedDatabase(config.database.embeddedDir);
    config = withDatabaseUrl(config, embedded.url);
  }
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
