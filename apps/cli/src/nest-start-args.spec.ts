import { join } from 'node:path';
import { loadNestStartOptions, NestOption, withNestStartArgs } from './nest-start-args';

const ARGV = ['/usr/bin/node', '/app/dist/apps/cli/main.js'];
/** The Nest CLI this project installs: its options are the ones a real `nest start` knows. */
const NEST_BIN = join(__dirname, '../../../node_modules/.bin/nest');
const nest =
  (...args: string[]) =>
  () => ['/usr/bin/node', NEST_BIN, ...args];
/** What Nest forwards is ignored when the parent is `nest start`: it is rebuilt from there. */
const FORWARDED = [...ARGV, '--watch', 'import', 'x.csv'];

describe(withNestStartArgs.name, () => {
  const options = loadNestStartOptions(NEST_BIN)!;

  it('reads the options of `nest start` from the installed Nest CLI', () => {
    const flags = options.flatMap((option) => option.flags);
    for (const flag of ['--watch', '--entryFile', '--sourceRoot', '--webpackPath', '--env-file'])
      expect(flags).toContain(flag);
  });

  it('takes the arguments from `nest start cli import shipment.csv`', () => {
    expect(withNestStartArgs(ARGV, nest('start', 'cli', 'import', 'shipment.csv'))).toEqual([
      ...ARGV,
      'import',
      'shipment.csv',
    ]);
  });

  it('drops --watch that Nest forwards (`nest start cli --watch import x.csv`)', () => {
    expect(
      withNestStartArgs(FORWARDED, nest('start', 'cli', '--watch', 'import', 'x.csv')),
    ).toEqual([...ARGV, 'import', 'x.csv']);
  });

  it('keeps our options that Nest forwards alone (`nest start cli import x.csv --dry-run`)', () => {
    expect(
      withNestStartArgs(
        [...ARGV, '--dry-run'],
        nest('start', 'cli', 'import', 'x.csv', '--dry-run'),
      ),
    ).toEqual([...ARGV, 'import', 'x.csv', '--dry-run']);
  });

  const cases = (option: NestOption): [string, string[]][] =>
    option.flags.flatMap((flag): [string, string[]][] =>
      option.value === 'none'
        ? [[flag, [flag]]]
        : [
            [`${flag} value`, [flag, 'value']],
            ...(flag.startsWith('--')
              ? [[`${flag}=value`, [`${flag}=value`]] as [string, string[]]]
              : []),
          ],
    );
  it.each(loadNestStartOptions(NEST_BIN)!.flatMap((option) => cases(option)))(
    'skips the Nest option %s before or after the app name',
    (_, option) => {
      for (const args of [
        ['start', ...option, 'cli', 'import', 'x.csv', '--dry-run'],
        ['start', 'cli', ...option, 'import', 'x.csv', '--dry-run'],
        ['start', 'cli', 'import', 'x.csv', ...option, '--dry-run'],
      ]) {
        expect(withNestStartArgs(FORWARDED, nest(...args))).toEqual([
          ...ARGV,
          'import',
          'x.csv',
          '--dry-run',
        ]);
      }
    },
  );

  it('passes everything after `--` on verbatim', () => {
    expect(
      withNestStartArgs(ARGV, nest('start', 'cli', '--watch', '--', 'import', '--watch', 'a.csv')),
    ).toEqual([...ARGV, 'import', '--watch', 'a.csv']);
  });

  it.each([
    ['a parent that is not the Nest CLI', () => ['/bin/bash', 'start', 'cli', 'import']],
    ['no /proc', () => null],
  ])('leaves argv alone for %s', (_, parent) => {
    expect(withNestStartArgs([...ARGV, 'migrate'], parent)).toEqual([...ARGV, 'migrate']);
  });

  it('leaves argv alone when the Nest CLI that started us cannot be read', () => {
    expect(
      withNestStartArgs([...ARGV, 'migrate'], () => ['node', '/nowhere/nest', 'start', 'cli']),
    ).toEqual([...ARGV, 'migrate']);
  });
});
