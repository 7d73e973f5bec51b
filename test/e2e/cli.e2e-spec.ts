import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/database';
import { fixture, SAMPLE_CSV } from '../support/paths';
import { runCli } from '../support/processes';

describe('CLI (built, as a process)', () => {
  let db: TestDatabase;
  const env = (): Record<string, string> => ({ DATABASE_URL: db.url });
  const countShipments = async (): Promise<number> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM shipments')).rows[0].n);
    } catch {
      return 0; // no schema yet
    } finally {
      await client.end();
    }
  };

  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterEach(() => db.drop());

  it('imports the sample, then changes nothing on a second run', async () => {
    const first = await runCli(['import', SAMPLE_CSV], env());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/rows\s+9 read, 9 valid, 0 rejected/);
    expect(first.stdout).toMatch(/shipments\s+5 created, 0 updated, 0 unchanged/);
    expect(first.stdout).toMatch(/articles\s+9 created, 0 updated, 0 unchanged/);
    const second = await runCli(['import', SAMPLE_CSV], env());
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/shipments\s+0 created, 0 updated, 5 unchanged/);
    expect(await countShipments()).toBe(5);
  });

  it('reports each invalid row by file and line, imports the rest and exits non-zero', async () => {
    const result = await runCli(['import', fixture('invalid-rows.csv')], env());
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(7);
    expect(errors[0]).toMatch(/^error: .*invalid-rows\.csv:3: tracking_number is empty$/);
    expect(result.stderr).toMatch(
      /^warning: .*invalid-rows\.csv:9: receiver_address "somewhere unknown"/m,
    );
    expect(result.stdout).toMatch(/rows\s+9 read, 2 valid, 7 rejected/);
    expect(await countShipments()).toBe(2);
  });

  it.each([
    ['a missing file', 'nope.csv', /^error: .*nope\.csv: cannot read the file \(no such file\)\n$/],
    [
      'a missing column',
      'missing-column.csv',
      /^error: .*missing-column\.csv: no column "article_price"; found tracking_number, .*, status \(separated by ","\)\n$/,
    ],
  ])('fails with one line for %s and writes nothing', async (_, file, message) => {
    const result = await runCli(['import', fixture(file)], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await countShipments()).toBe(0);
  });

  it('validates without writing on --dry-run', async () => {
    const result = await runCli(['import', SAMPLE_CSV, '--dry-run'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Dry run of .*: nothing was written/);
    expect(result.stdout).toMatch(/shipments\s+5 in the file/);
    expect(await countShipments()).toBe(0);
  });

  it('applies migrations with migrate, and says so once', async () => {
    expect((await runCli(['migrate'], env())).stdout).toMatch(
      /Applied 5 migration\(s\): CreateShipments\d+, CreateLocations\d+, LocationsByCity\d+, ShipmentsVersion\d+, ShipmentEvents\d+/,
    );
    expect((await runCli(['migrate'], env())).stdout).toMatch(/up to date/);
  });

  it('stops with one line naming a bad variable', async () => {
    const result = await runCli(['migrate'], {
      ...env(),
      POSTGRES_PORT: 'x',
      DATABASE_POOL_SIZE: '0',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: (POSTGRES_PORT|DATABASE_POOL_SIZE): must be a whole number from \d+ to \d+ \(got "(x|0)"\)\n$/,
    );
  });

  it('stops with one line when the database is unreachable', async () => {
    const result = await runCli(['import', SAMPLE_CSV], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none: .+\n$/,
    );
  });
});
