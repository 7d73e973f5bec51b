import { RepeatedLog } from './repeated-log';

describe(RepeatedLog.name, () => {
  it('logs the first occurrence, holds back repeats for the interval, then says how many', () => {
    let now = 0;
    const lines: string[] = [];
    const sut = new RepeatedLog({ warn: (line) => lines.push(line) }, 60_000, () => now);
    sut.warn('budget', 'budget used up');
    for (let i = 0; i < 99; i++) sut.warn('budget', 'budget used up');
    sut.warn('timeout', 'provider timed out');
    expect(lines).toEqual(['budget used up', 'provider timed out']);
    now = 61_000;
    sut.warn('budget', 'budget used up');
    expect(lines.at(-1)).toBe('budget used up (99 more like it in the last 61 s)');
  });
});
