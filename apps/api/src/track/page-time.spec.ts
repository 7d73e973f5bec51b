import { PageTime, receiverTimeZone } from './page-time';

describe(receiverTimeZone.name, () => {
  const winter = new Date('2026-11-30T12:00:00Z');

  it.each([
    ['DE', 'Europe/Berlin'],
    ['FR', 'Europe/Paris'],
    ['NL', 'Europe/Amsterdam'],
    ['HK', 'Asia/Hong_Kong'],
    ['ES', 'UTC'],
    ['US', 'UTC'],
    [null, 'UTC'],
    ['XX', 'UTC'],
  ])('is %s → %s', (country, zone) => {
    expect(receiverTimeZone(country, winter)).toBe(zone);
  });
});

describe(PageTime.name, () => {
  const at = new Date('2026-11-30T14:05:00Z');

  it('writes a time in the page language and the receiver zone, naming the zone', () => {
    expect(new PageTime('en', 'Europe/Berlin').text(at)).toBe('30 Nov 2026, 15:05 CET');
    expect(new PageTime('de', 'Europe/Berlin').text(at)).toBe('30. Nov. 2026, 15:05 MEZ');
    expect(new PageTime('en', 'UTC').text(at)).toBe('30 Nov 2026, 14:05 UTC');
  });
});
