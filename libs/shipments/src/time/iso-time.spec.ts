import { readIsoTime } from './iso-time';

describe(readIsoTime.name, () => {
  it.each([
    ['2026-11-30T14:05:00Z', '2026-11-30T14:05:00.000Z'],
    ['2026-11-30t14:05z', '2026-11-30T14:05:00.000Z'],
    ['2026-11-30 15:05:00+01:00', '2026-11-30T14:05:00.000Z'],
    ['2026-11-30T15:05:00.123+0100', '2026-11-30T14:05:00.123Z'],
    ['2026-11-30T09:05:00,5-05', '2026-11-30T14:05:00.500Z'],
    [' 2026-11-30T14:05:00+00:00 ', '2026-11-30T14:05:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %j as %s', (text, iso) => {
    expect(readIsoTime(text)).toEqual({ at: new Date(iso), zoned: true });
  });

  it.each([
    ['2026-11-30T14:05:00', '2026-11-30T14:05:00.000Z'],
    ['2026-11-30 14:05', '2026-11-30T14:05:00.000Z'],
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
  ])('reads %j, which names no zone, as UTC and says so', (text, iso) => {
    expect(readIsoTime(text)).toEqual({ at: new Date(iso), zoned: false });
  });

  it.each([
    ['30.11.2026 14:05', /^is not an ISO 8601 date-time/],
    ['2026-11-30T14:05:00 CET', /^is not an ISO 8601 date-time/],
    ['1732975500', /^is not an ISO 8601 date-time/],
    ['2026-02-29T10:00:00Z', /^has no such day/],
    ['2026-13-01T10:00:00Z', /^has no such month/],
    ['2026-11-30T24:00:00Z', /^has no such hour/],
    ['2026-11-30T10:60:00Z', /^has no such minute/],
    ['2026-11-30T10:00:00+19:00', /^has no such offset/],
    ['', /^is not an ISO 8601 date-time/],
  ])('refuses %j', (text, problem) => {
    expect(readIsoTime(text)).toEqual({ problem: expect.stringMatching(problem) });
  });
});
