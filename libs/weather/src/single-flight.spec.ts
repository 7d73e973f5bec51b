import { SingleFlight } from './single-flight';

describe(SingleFlight.name, () => {
  it('shares one run between concurrent callers of a key, then runs afresh', async () => {
    const sut = new SingleFlight<number>();
    let runs = 0;
    let finish!: (value: number) => void;
    const work = () => {
      runs++;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const callers = [sut.run('a', work), sut.run('a', work)];
    const other = sut.run('b', () => Promise.resolve(7));
    finish(1);
    expect(await Promise.all(callers)).toEqual([1, 1]);
    expect(await other).toBe(7);
    expect(runs).toBe(1);
    void sut.run('a', work);
    expect(runs).toBe(2);
  });

  it('shares a failure too, and forgets it', async () => {
    const sut = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('down'));
    await expect(Promise.all([sut.run('a', failing), sut.run('a', failing)])).rejects.toThrow(
      'down',
    );
    expect(await sut.run('a', () => Promise.resolve(2))).toBe(2);
  });
});
