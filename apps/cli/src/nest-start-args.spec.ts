import { withNestStartArgs } from './nest-start-args';

const ARGV = ['/usr/bin/node', '/app/dist/apps/cli/main.js'];
const nest =
  (...args: string[]) =>
  () => ['/usr/bin/node', '/app/node_modules/.bin/nest', ...args];

describe(withNestStartArgs.name, () => {
  it('takes the arguments from `nest start cli import shipment.csv`', () => {
    expect(withNestStartArgs(ARGV, nest('start', 'cli', 'import', 'shipment.csv'))).toEqual([
      ...ARGV,
      'import',
      'shipment.csv',
    ]);
  });

  it('keeps our own options and skips the Nest CLI ones', () => {
    expect(
      withNestStartArgs(
        ARGV,
        nest('start', '--watch', '-c', 'nest-cli.json', 'cli', 'import', 'x.csv', '--dry-run'),
      ),
    ).toEqual([...ARGV, 'import', 'x.csv', '--dry-run']);
  });

  it.each([
    ['arguments given directly', [...ARGV, 'migrate'], nest('start', 'cli', 'import', 'a.csv')],
    [
      'the `--` form, which Nest forwards itself',
      ARGV,
      nest('start', 'cli', '--', 'import', 'a.csv'),
    ],
    ['a parent that is not the Nest CLI', ARGV, () => ['/bin/bash', 'start', 'cli', 'import']],
    ['no /proc', ARGV, () => null],
    ['`nest start cli` alone', ARGV, nest('start', 'cli')],
  ])('leaves argv alone for %s', (_, argv, parent) => {
    expect(withNestStartArgs(argv, parent)).toEqual(argv);
  });
});
