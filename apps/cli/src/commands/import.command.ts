import {
  checkDelimiterOption,
  checkEncodingOption,
  delimiterName,
  ImportReport,
  ShipmentImporter,
} from '@app/import';
import { AppConfig } from '@app/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CliOutput } from '../cli-output.service';
import { progressReporter } from '../import-progress';

interface ImportCommandOptions {
  dryRun?: boolean;
  delimiter?: string;
  encoding?: string;
  quiet?: boolean;
}

@Command({
  name: 'import',
  arguments: '<file>',
  description: 'Import shipments from a CSV file (one row per article); safe to run again',
  argsDescription: { file: 'path to the CSV file, e.g. shipment.csv, or - for standard input' },
})
export class ImportCommand extends CommandRunner {
  constructor(
    private readonly importer: ShipmentImporter,
    private readonly output: CliOutput,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async run([file]: string[], options: ImportCommandOptions): Promise<void> {
    const progress = progressReporter({
      quiet: options.quiet ?? false,
      terminal: process.stderr.isTTY === true,
      intervalMs: this.config.importProgressIntervalMs,
    });
    let report: ImportReport;
    try {
      report = await this.importer.import(file, {
        dryRun: options.dryRun,
        delimiter: options.delimiter,
        encoding: options.encoding,
        onProgress: (at) => progress.update(at),
      });
    } finally {
      progress.stop();
    }
    this.print(report, options.quiet ?? false);
    if (report.rowsRejected > 0) process.exitCode = 1;
  }

  @Option({ flags: '--dry-run', description: 'validate and report, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({
    flags: '--delimiter <char>',
    description: 'field separator: , ; | or \\t (default: detected from the header line)',
  })
  parseDelimiter(value: string): string {
    return checkDelimiterOption(value);
  }

  @Option({
    flags: '--encoding <name>',
    description:
      'text encoding, e.g. utf8, utf16le, latin1, windows-1252 (default: from the BOM, else UTF-8, else Windows-1252 with a warning)',
  })
  parseEncoding(value: string): string {
    return checkEncodingOption(value);
  }

  @Option({
    flags: '--quiet',
    description: 'print only errors and the summary (no warnings, no progress)',
  })
  parseQuiet(): boolean {
    return true;
  }

  private print(report: ImportReport, quiet: boolean): void {
    for (const { line, message } of report.errors)
      this.output.error(`error: ${report.file}:${line}: ${message}`);
    if (report.errorCount > report.errors.length) {
      this.output.error(
        `error: ... and ${report.errorCount - report.errors.length} more rejected rows`,
      );
    }
    if (!quiet) {
      for (const { line, message } of report.warnings)
        this.output.error(`warning: ${report.file}:${line}: ${message}`);
      if (report.warningCount > report.warnings.length) {
        this.output.error(
          `warning: ... and ${report.warningCount - report.warnings.length} more warnings`,
        );
      }
    }
    const seconds = (report.durationMs / 1000).toFixed(2);
    const rows = `${report.rowsRead} read, ${report.rowsRead - report.rowsRejected} valid, ${report.rowsRejected} rejected`;
    const readAs = `  read as    ${report.encoding}, separated by ${delimiterName(report.delimiter)}`;
    if (report.dryRun) {
      this.output.info(`Dry run of ${report.file} in ${seconds} s: nothing was written`);
      this.output.info(readAs);
      this.output.info(`  rows       ${rows}`);
      this.output.info(`  shipments  ${report.shipmentsInFile} in the file`);
      this.output.info(`  articles   ${report.articlesInFile} in the file`);
    } else {
      this.output.info(`Imported ${report.file} in ${seconds} s`);
      this.output.info(readAs);
      this.output.info(`  rows       ${rows}`);
      this.output.info(
        `  shipments  ${report.shipmentsCreated} created, ${report.shipmentsUpdated} updated, ${report.shipmentsUnchanged} unchanged`,
      );
      this.output.info(
        `  articles   ${report.articlesCreated} created, ${report.articlesUpdated} updated, ${report.articlesUnchanged} unchanged`,
      );
      const events = `${report.statusEvents} status event${report.statusEvents === 1 ? '' : 's'}`;
      this.output.info(`  history    ${events} recorded`);
    }
    if (report.warningCount > 0) this.output.info(`  warnings   ${report.warningCount}`);
  }
}
