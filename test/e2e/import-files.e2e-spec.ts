import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { CLI_MAIN, runCli } from '../support/processes';

const HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';

/** `script` (util-linux) runs a command on a pseudo-terminal: how the progress bar is seen. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('import of operator files (the built CLI)', () => {
  let db: TestDatabase;
  let dir: string;
  let large: string;
  const env = (more: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: db.url,
    ...more,
  });
  const names = async (): Promise<string[]> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        'SELECT name FROM articles ORDER BY sku',
      );
      return rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'import-files-'));
    large = join(dir, 'large.csv');
    const rows = Array.from(
      { length: 40_000 },
      (_, i) =>
        `TNL${Math.floor(i / 2)},DHL,"Street 1, 10115 Berlin, Germany","Rue ${Math.floor(i / 2) % 50}, 75001 Paris, France",Item ${i},1,${i % 100}.50,S${i % 2},in transit`,
    );
    await writeFile(large, `${HEADER}\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads standard input with `-`, detecting a Latin-1 export and saying so once', async () => {
    const input = await readFile(fixture('operator-files/latin1.csv'));
    // Through the worker thread: standard input is piped on to it.
    const result = await runCli(['import', '-'], env({ IMPORT_WORKER: 'true' }), undefined, input);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: stdin:2: this line is not UTF-8 and the file has no BOM, so the file is read as Windows-1252; if that is wrong, choose the encoding with --encoding \(utf8, utf16le, utf16be, latin1, windows-1252, \.\.\.\)\n$/,
    );
    expect(result.stdout).toMatch(
      /^Imported stdin in [\d.]+ s\n {2}read as {4}windows-1252, separated by ","\n/,
    );
    expect(await names()).toEqual(['Café crème', 'Grüne Tasse', 'Kühlschrank']);
  });

  it('takes --delimiter and --encoding, and refuses bad ones in one line', async () => {
    const semicolon = await runCli(
      [
        'import',
        fixture('operator-files/semicolon-decimal-comma.csv'),
        '--delimiter',
        ';',
        '--encoding',
        'utf-8',
      ],
      env(),
    );
    expect(semicolon).toMatchObject({ code: 0, stderr: '' });
    expect(semicolon.stdout).toMatch(/read as {4}utf8, separated by ";"/);
    const bad = await runCli(['import', large, '--delimiter', ';;'], env());
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toBe(
      'error: --delimiter must be one character such as , ; | or \\t (tab); got ";;"\n',
    );
    const unknown = await runCli(['import', large, '--encoding', 'ebcdic-klingon'], env());
    expect(unknown.stderr).toMatch(
      /^error: unknown --encoding "ebcdic-klingon"; use one of utf8, /,
    );
  });

  it('imports the same with and without the worker thread', async () => {
    const runs = [];
    for (const worker of ['false', 'true']) {
      runs.push(await runCli(['import', large, '--dry-run'], env({ IMPORT_WORKER: worker })));
    }
    const summary = (stdout: string): string => stdout.replace(/ in [\d.]+ s/, '');
    expect(runs[0].code).toBe(0);
    expect(summary(runs[1].stdout)).toBe(summary(runs[0].stdout));
    expect(runs[1].stderr).toBe(runs[0].stderr);
  });

  it('prints a progress line to stderr every interval off a terminal; the summary on stdout', async () => {
    const result = await runCli(['import', large], env({ IMPORT_PROGRESS_INTERVAL_MS: '100' }));
    const progress = result.stderr.split('\n').filter((line) => line.startsWith('import: '));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress)
      expect(line).toMatch(/^import: [\d,]+ rows \(\d{1,3}%\), [\d,]+ rows\/s$/);
    expect(result.stdout).toMatch(/^Imported .*large\.csv in/);
    expect(result.stdout).toMatch(/rows {7}40000 read, 40000 valid, 0 rejected/);
    expect(result.stdout).not.toMatch(/import: /);
  });

  it('--quiet prints only errors and the summary', async () => {
    const result = await runCli(
      ['import', fixture('invalid-rows.csv'), '--quiet', '--dry-run'],
      env({ IMPORT_PROGRESS_INTERVAL_MS: '100' }),
    );
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^error: .*invalid-rows\.csv:\d+: /);
    expect(result.stdout).toMatch(/^Dry run of .*invalid-rows\.csv/);
    expect(result.stdout).toMatch(/warnings {3}\d+/);
  });

  (hasScript ? it : it.skip)(
    'draws a progress bar with rows, rows/s, percent and time left on a terminal',
    () => {
      // `script` gives the CLI a pseudo-terminal for stdout and stderr.
      const output = execFileSync(
        'script',
        ['-qfec', `"${process.execPath}" "${CLI_MAIN}" import "${large}" --dry-run`, '/dev/null'],
        { env: { PATH: process.env.PATH ?? '', TERM: 'xterm' }, encoding: 'utf8' },
      );
      expect(output).toMatch(
        /import \[[=-]{40}\] \d{1,3}% \| [\d,]+ rows \| [\d,]+ rows\/s \| \d+s left/,
      );
      expect(output).toMatch(/import \[={40}\] 100% \| 40,000 rows/);
      expect(output).toMatch(/Dry run of .*large\.csv/);
    },
  );
});
