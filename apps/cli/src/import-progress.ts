import type { ImportProgress } from '@app/import';
import { SingleBar } from 'cli-progress';

const numbers = new Intl.NumberFormat('en-US');

/** What an import tells its operator while it runs, on stderr; the summary stays on stdout. */
export interface ProgressReporter {
  update(progress: ImportProgress): void;
  stop(): void;
}

/**
 * The progress of an import: a bar (cli-progress) with rows, rows/s, percent of bytes and time
 * left when stderr is a terminal; else one line every `intervalMs`, for logs; nothing when quiet.
 */
export function progressReporter(options: {
  quiet: boolean;
  terminal: boolean;
  intervalMs: number;
  stream?: NodeJS.WriteStream;
}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update: () => undefined, stop: () => undefined };
  return options.terminal ? new BarReporter(stream) : new LineReporter(stream, options.intervalMs);
}

/** Rows per second since the start. */
class Rate {
  private readonly started = Date.now();

  of(rows: number): number {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? Math.round(rows / seconds) : 0;
  }
}

class BarReporter implements ProgressReporter {
  private bar: SingleBar | null = null;
  private readonly rate = new Rate();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update({ rows, bytesRead, totalBytes }: ImportProgress): void {
    const payload = { rows: numbers.format(rows), rate: numbers.format(this.rate.of(rows)) };
    if (!this.bar) {
      // Standard input has no size: rows and rate only.
      const format =
        totalBytes === null
          ? 'import {rows} rows | {rate} rows/s'
          : 'import [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {eta_formatted} left';
      this.bar = new SingleBar({
        format,
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 5,
      });
      this.bar.start(totalBytes ?? 0, 0, payload);
    }
    this.bar.update(totalBytes === null ? 0 : Math.min(bytesRead, totalBytes), payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}

class LineReporter implements ProgressReporter {
  private latest: ImportProgress | null = null;
  private readonly rate = new Rate();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.print(), intervalMs);
    this.timer.unref();
  }

  update(progress: ImportProgress): void {
    this.latest = progress;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** `import: 250,000 rows (42%), 48,000 rows/s` */
  private print(): void {
    const progress = this.latest;
    if (!progress) return;
    const percent =
      progress.totalBytes && progress.totalBytes > 0
        ? ` (${Math.floor((100 * progress.bytesRead) / progress.totalBytes)}%)`
        : '';
    this.stream.write(
      `import: ${numbers.format(progress.rows)} rows${percent}, ` +
        `${numbers.format(this.rate.of(progress.rows))} rows/s\n`,
    );
  }
}
