import { noUpsertCounts, UpsertCounts } from '@app/shipments';

/** Problems kept for the report; beyond that they are only counted. */
const MAX_REPORTED_PROBLEMS = 1000;

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportReport extends UpsertCounts {
  file: string;
  dryRun: boolean;
  /** How the file was read: its encoding and delimiter. */
  encoding: string;
  delimiter: string;
  rowsRead: number;
  rowsRejected: number;
  /** Distinct shipments and articles among the valid rows (what a dry run would write). */
  shipmentsInFile: number;
  articlesInFile: number;
  errors: ImportProblem[];
  warnings: ImportProblem[];
  errorCount: number;
  warningCount: number;
  durationMs: number;
}

export function emptyReport(file: string, dryRun: boolean): ImportReport {
  return {
    file,
    dryRun,
    encoding: 'utf8',
    delimiter: ',',
    rowsRead: 0,
    rowsRejected: 0,
    shipmentsInFile: 0,
    articlesInFile: 0,
    ...noUpsertCounts(),
    errors: [],
    warnings: [],
    errorCount: 0,
    warningCount: 0,
    durationMs: 0,
  };
}

export function reject(report: ImportReport, line: number, message: string): void {
  report.rowsRejected++;
  report.errorCount++;
  if (report.errors.length < MAX_REPORTED_PROBLEMS) report.errors.push({ line, message });
}

export function warn(report: ImportReport, line: number, message: string): void {
  report.warningCount++;
  if (report.warnings.length < MAX_REPORTED_PROBLEMS) report.warnings.push({ line, message });
}

/**
 * The parse's report with what the writes added: their counts, shipments that an earlier batch
 * wrote (counted in the file once), and their warnings, all problems in line order.
 */
export function mergeReports(parsed: ImportReport, written: ImportReport): ImportReport {
  const report = { ...parsed };
  for (const counter of Object.keys(noUpsertCounts()) as (keyof UpsertCounts)[])
    report[counter] += written[counter];
  report.shipmentsInFile += written.shipmentsInFile;
  report.warningCount += written.warningCount;
  report.warnings = [...parsed.warnings, ...written.warnings]
    .sort((a, b) => a.line - b.line)
    .slice(0, MAX_REPORTED_PROBLEMS);
  return report;
}
