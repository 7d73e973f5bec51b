import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/infra';
import { ImportModule, PARSE_WORKER_SCRIPT } from '@app/import';
import { MIGRATIONS, ShipmentTrackingModule } from '@app/shipments';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { CliOutput } from './cli-output.service';
import { ImportCommand } from './commands/import.command';
import { MigrateCommand } from './commands/migrate.command';
import { RefreshWeatherCommand } from './commands/refresh-weather.command';

/** Connects on the first query: `--help` and `import --dry-run` never need a database server. */
const DATABASE = DatabaseModule.forRoot({
  migrations: MIGRATIONS,
  connect: 'first-query',
  shareEmbedded: false,
});

/**
 * Each command with the modules it needs, so running one builds only those. A Map: the key comes
 * from the command line (`constructor` must be an unknown command, not Object's).
 */
export const COMMANDS: ReadonlyMap<string, { command: Type; imports: Type[] }> = new Map([
  ['import', { command: ImportCommand, imports: [ImportModule] }],
  ['migrate', { command: MigrateCommand, imports: [] }],
  ['refresh-weather', { command: RefreshWeatherCommand, imports: [ShipmentTrackingModule] }],
]);

/** Tells the importer (in its own module) which script its parse worker starts from. */
@Module({})
class ParseWorkerScriptModule {
  static forRoot(script: string): DynamicModule {
    return {
      module: ParseWorkerScriptModule,
      global: true,
      providers: [{ provide: PARSE_WORKER_SCRIPT, useValue: script }],
      exports: [PARSE_WORKER_SCRIPT],
    };
  }
}

@Module({})
export class CliModule {
  /**
   * The module for `command` alone (an import builds no weather HTTP stack), or for every
   * command when none or an unknown one is named, so the help lists them all. With
   * `parseWorkerScript` an import parses in a worker thread started from that script.
   */
  static register(config: AppConfig, command?: string, parseWorkerScript?: string): DynamicModule {
    const one = command === undefined ? undefined : COMMANDS.get(command);
    const chosen = one ? [one] : [...COMMANDS.values()];
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        DATABASE,
        ...new Set(chosen.flatMap((entry) => entry.imports)),
        ...(parseWorkerScript ? [ParseWorkerScriptModule.forRoot(parseWorkerScript)] : []),
      ],
      providers: [
        CliOutput,
        ...chosen.map((entry) => entry.command),
        ...(parseWorkerScript
          ? [{ provide: PARSE_WORKER_SCRIPT, useValue: parseWorkerScript }]
          : []),
      ],
    };
  }
}

/** The command named on the command line: its first argument that is not an option. */
export function commandName(argv: string[]): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}
