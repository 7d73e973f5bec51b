import { loadConfig } from '@app/config';
import { DatabaseLifecycle } from '@app/infra';
import { emptyReport, ImportReport, ShipmentImporter } from '@app/import';
import { RefreshSummary, WeatherRefreshService } from '@app/shipments';
import { WeatherService } from '@app/weather';
import { CommandTestFactory } from 'nest-commander-testing';
import { CliModule } from '../cli.module';
import { CliOutput } from '../cli-output.service';
import { ImportCommand } from './import.command';

/** What an operator would read: each line on stdout or stderr. */
class CapturedOutput extends CliOutput {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  override info(line: string): void {
    this.stdout.push(line);
  }
  override error(line: string): void {
    this.stderr.push(line);
  }
}

// A server that is never reached: the services below are fakes, and nothing connects first.
const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never' });

async function run(
  command: string,
  args: string[],
  fakes: { provide: unknown; useValue: unknown }[],
): Promise<{ stdout: string[]; stderr: string[]; exitCode: number | undefined }> {
  const output = new CapturedOutput();
  let builder = CommandTestFactory.createTestingCommand({
    imports: [CliModule.register(config, command)],
  })
    .overrideProvider(CliOutput)
    .useValue(output);
  for (const fake of fakes)
    builder = builder.overrideProvider(fake.provide).useValue(fake.useValue);
  const module = await builder.compile();
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await CommandTestFactory.run(module, [command, ...args]);
    return { stdout: output.stdout, stderr: output.stderr, exitCode: process.exitCode };
  } finally {
    process.exitCode = before;
  }
}

const report = (changes: Partial<ImportReport>): ImportReport => ({
  ...emptyReport('shipment.csv', false),
  durationMs: 1234,
  ...changes,
});

describe('CLI commands (nest-commander-testing, fake services)', () => {
  it('import: prints the summary on stdout and exits 0', async () => {
    const importer = {
      import: jest.fn().mockResolvedValue(
        report({
          rowsRead: 9,
          shipmentsInFile: 5,
          shipmentsCreated: 5,
          articlesCreated: 9,
          statusEvents: 5,
        }),
      ),
    };
    const result = await run(
      'import',
      ['shipment.csv'],
      [{ provide: ShipmentImporter, useValue: importer }],
    );
    expect(importer.import).toHaveBeenCalledWith(
      'shipment.csv',
      expect.objectContaining({ dryRun: undefined, delimiter: undefined, encoding: undefined }),
    );
    expect(result).toEqual({
      stdout: [
        'Imported shipment.csv in 1.23 s',
        '  read as    utf8, separated by ","',
        '  rows       9 read, 9 valid, 0 rejected',
        '  shipments  5 created, 0 updated, 0 unchanged',
        '  articles   9 created, 0 updated, 0 unchanged',
        '  history    5 status events recorded',
      ],
      stderr: [],
      exitCode: undefined,
    });
  });

  it('import: names file and line of each rejected row and warning on stderr, and exits 1', async () => {
    const importer = {
      import: jest.fn().mockResolvedValue(
        report({
          rowsRead: 3,
          rowsRejected: 1,
          errorCount: 1,
          errors: [{ line: 3, message: 'article_quantity must be a whole number from 1, got "x"' }],
          warningCount: 1,
          warnings: [
            {
              line: 4,
              message: 'sku "A" repeats line 2 of the same shipment; this row replaces it',
            },
          ],
        }),
      ),
    };
    const result = await run(
      'import',
      ['bad.csv'],
      [{ provide: ShipmentImporter, useValue: importer }],
    );
    expect(result.stderr).toEqual([
      'error: shipment.csv:3: article_quantity must be a whole number from 1, got "x"',
      'warning: shipment.csv:4: sku "A" repeats line 2 of the same shipment; this row replaces it',
    ]);
    expect(result.stdout).toContain('  warnings   1');
    expect(result.exitCode).toBe(1);
  });

  it('import --dry-run: says nothing was written', async () => {
    const importer = {
      import: jest.fn().mockResolvedValue({
        ...report({ rowsRead: 9, shipmentsInFile: 5, articlesInFile: 9 }),
        dryRun: true,
      }),
    };
    const result = await run(
      'import',
      ['shipment.csv', '--dry-run'],
      [{ provide: ShipmentImporter, useValue: importer }],
    );
    expect(importer.import).toHaveBeenCalledWith(
      'shipment.csv',
      expect.objectContaining({ dryRun: true }),
    );
    expect(result.stdout[0]).toBe('Dry run of shipment.csv in 1.23 s: nothing was written');
    expect(result.exitCode).toBeUndefined();
  });

  it('migrate: says what it applied, or that the schema is up to date', async () => {
    const ready = jest
      .fn()
      .mockResolvedValueOnce(['CreateShipments1764090000000'])
      .mockResolvedValueOnce([]);
    const fakes = [{ provide: DatabaseLifecycle, useValue: { ready, isReady: true } }];
    expect((await run('migrate', [], fakes)).stdout).toEqual([
      'Applied 1 migration(s): CreateShipments1764090000000',
    ]);
    expect((await run('migrate', [], fakes)).stdout).toEqual(['Database schema is up to date']);
  });

  it('refresh-weather: prints the cycle, exits 1 when locations failed or the lock was lost', async () => {
    const summary = (changes: Partial<RefreshSummary>): RefreshSummary => ({
      skipped: false,
      lockLost: false,
      locations: 3,
      refreshed: 3,
      failed: 0,
      peakConcurrency: 3,
      durationMs: 2500,
      ...changes,
    });
    const refresh = (result: RefreshSummary) => [
      {
        provide: WeatherRefreshService,
        useValue: { refreshActiveReceivers: () => Promise.resolve(result) },
      },
    ];
    expect(await run('refresh-weather', [], refresh(summary({})))).toEqual({
      stdout: ['Weather refresh: 3 locations, 3 refreshed, 0 failed in 2.50 s'],
      stderr: [],
      exitCode: undefined,
    });
    expect(
      (await run('refresh-weather', [], refresh(summary({ refreshed: 2, failed: 1 })))).exitCode,
    ).toBe(1);
    const lost = await run(
      'refresh-weather',
      [],
      refresh(summary({ lockLost: true, refreshed: 1 })),
    );
    expect(lost.stderr).toEqual([
      'error: the refresh lost its lock half-way and stopped; run it again',
    ]);
    expect(lost.exitCode).toBe(1);
    expect(
      (await run('refresh-weather', [], refresh(summary({ skipped: true, locations: 0 })))).stdout,
    ).toEqual(['Another weather refresh is running; nothing done']);
  });

  it('builds only what a command needs: no weather HTTP stack for an import', async () => {
    const build = (command: string) =>
      CommandTestFactory.createTestingCommand({
        imports: [CliModule.register(config, command)],
      }).compile();
    const forImport = await build('import');
    expect(() => forImport.get(WeatherService, { strict: false })).toThrow();
    expect(forImport.get(ShipmentImporter, { strict: false })).toBeInstanceOf(ShipmentImporter);
    const forRefresh = await build('refresh-weather');
    expect(forRefresh.get(WeatherService, { strict: false })).toBeInstanceOf(WeatherService);
    await Promise.all([forImport.close(), forRefresh.close()]);
  });

  it.each(['constructor', 'toString', '__proto__'])(
    'treats %j as an unknown command (the command table is no plain object)',
    async (name) => {
      const module = await CommandTestFactory.createTestingCommand({
        imports: [CliModule.register(config, name)],
      }).compile();
      expect(module.get(ImportCommand, { strict: false })).toBeInstanceOf(ImportCommand);
      await module.close();
    },
  );
});
