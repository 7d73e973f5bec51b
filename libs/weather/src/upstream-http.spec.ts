import { parseRetryAfter } from './upstream-http';

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['120', 120_000],
    [' 7 ', 7_000],
    ['Tue, 01 Dec 2026 12:01:30 GMT', 90_000],
    ['Tue, 01 Dec 2026 11:00:00 GMT', 0],
    ['999999', 3_600_000],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});
