import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { STDIN } from '../csv-reader';
import { ImportFileError } from '../import.errors';
import { parseShipmentFile, ParseEvent, ParseOptions } from './shipment-file-parser';

/** Marks the worker's workerData, so the script that starts it knows to parse. */
const ROLE = 'shipments-parse-worker';

/** Batches the worker may be ahead of the writer: two keep both busy, memory bounded. */
const AHEAD = 1;

/** The worker's old-generation heap. */
const WORKER_HEAP_MB = 96;

interface WorkerJob {
  role: typeof ROLE;
  file: string;
  options: ParseOptions;
}

type WorkerMessage = ParseEvent | { kind: 'error'; message: string; fileError: boolean };

/** Whether this thread was started to parse a file (the CLI's entry checks it first). */
export function isParseWorker(): boolean {
  return !isMainThread && (workerData as WorkerJob | null)?.role === ROLE;
}

/**
 * The worker's side: parses the file of its job and posts each event, waiting for the writer
 * to take batches when it is AHEAD of it.
 */
export async function runParseWorker(): Promise<void> {
  const { file, options } = workerData as WorkerJob;
  const port = parentPort!;
  let ahead = 0;
  let resume: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    resume?.();
  });
  try {
    for await (const event of parseShipmentFile(file, options)) {
      port.postMessage(event satisfies WorkerMessage);
      if (event.kind !== 'batch') continue;
      if (++ahead >= AHEAD) await new Promise<void>((resolve) => (resume = resolve));
      resume = null;
    }
  } catch (error) {
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      fileError: error instanceof ImportFileError,
    } satisfies WorkerMessage);
  }
  port.close();
}

/**
 * parseShipmentFile in a worker thread started from `script` (the CLI's own bundle), so reading,
 * validating and grouping run on one core while this thread and PostgreSQL write on the other.
 * The same events, in the same order; standard input is passed on to the worker.
 */
export async function* parseInWorker(
  script: string,
  file: string,
  options: ParseOptions,
): AsyncGenerator<ParseEvent> {
  const job: WorkerJob = { role: ROLE, file, options };
  const worker = new Worker(script, {
    workerData: job,
    stdin: file === STDIN,
    // The worker holds at most AHEAD batches and an address cache: a small heap keeps the
    // import's memory flat (V8 would otherwise let garbage grow to hundreds of MB).
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  if (file === STDIN) process.stdin.pipe(worker.stdin!);
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let exited = false;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure as Error;
        if (exited) throw new Error('the import worker stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      if (message.kind === 'error') {
        throw message.fileError ? new ImportFileError(message.message) : new Error(message.message);
      }
      if (message.kind === 'batch') worker.postMessage('taken');
      yield message;
      if (message.kind === 'done') return;
    }
  } finally {
    if (file === STDIN) process.stdin.unpipe(worker.stdin!);
    await worker.terminate();
  }
}
