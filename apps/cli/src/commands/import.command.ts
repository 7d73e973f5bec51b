import { ImportReport, ShipmentImporter } from '@app/import';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CliOutput } from '../cli-output.service';

interface ImportCommandOptions {
  dryRun?: boolean;
}

@Command({
  name: 'import',
  arguments: '<file>',
  description: 'Import shipments from a CSV file (one row per article); safe to run again',
  argsDescription: { file: 'path to the CSV file, e.g. shipment.csv' },
})
export class ImportCommand extends CommandRunner {
  constructor(
    private readonly importer: ShipmentImporter,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[], options: ImportCommandOptions): Promise<void> {
    const report = await this.importer.import(file, { dryRun: options.dryRun });
    this.print(report);
    if (report.rowsRejected > 0) process.exitCode = 1;
  }

  @Option({ flags: '--dry-run', description: 'validate and report, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  private print(report: ImportReport): void {
    for (const { line, message } of report.errors)
      this.output.error(`error: ${report.file}:${line}: ${message}`);
    if (report.errorCount > report.errors.length) {
      this.output.error(
        `error: ... and ${report.errorCount - report.errors.length} more rejected rows`,
      );
    }
    for (const { line, message } of report.warnings)
      this.output.error(`warning: ${report.file}:${line}: ${message}`);
    if (report.warningCount > report.warnings.length) {
      this.output.error(
        `warning: ... and ${report.warningCount - report.warnings.length} more warnings`,
      );
    }
    const seconds = (report.durationMs / 1000).toFixed(2);
    const rows = `${report.rowsRead} read, ${report.rowsRead - report.rowsRejected} valid, ${report.rowsRejected} rejected`;
    if (report.dryRun) {
      this.output.info(`Dry run of ${report.file} in ${seconds} s: nothing was written`);
      this.output.info(`  rows       ${rows}`);
      this.output.info(`  shipments  ${report.shipmentsInFile} in the file`);
      this.output.info(`  articles   ${report.articlesInFile} in the file`);
    } else {
      this.output.info(`Imported ${report.file} in ${seconds} s`);
      this.output.info(`  rows       ${rows}`);
      this.output.info(
        `  shipments  ${report.shipmentsCreated} created, ${report.shipmentsUpdated} updated, ${report.shipmentsUnchanged} unchanged`,
      );
      this.output.info(
        `  articles   ${report.articlesCreated} created, ${report.articlesUpdated} updated, ${report.articlesUnchanged} unchanged`,
      );
    }
    if (report.warningCount > 0) this.output.info(`  warnings   ${report.warningCount}`);
  }
}
