import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { readKeyvEntry } from './weather-cache';

describe(readKeyvEntry.name, () => {
  const stored = (value: unknown, expires: number | null = null) =>
    defaultSerialize({ value, expires });

  it.each([
    ['a reading', { report: { provider: 'open-meteo', description: 'light rain', temp: 12.5 } }],
    ['a string that starts with a colon', { error: ':-( not found', list: [':a', 'b:', ':'] }],
    ['a key that starts with a colon', { ':odd': 'value', nested: { ':k': ':v' } }],
    ['colons inside strings', { at: '2026-12-02T05:00:00.000Z', note: 'a:b', url: 'x://y' }],
    ['coordinates', { latitude: 52.37, longitude: 4.89 }],
  ])('reads %s back exactly as Keyv would', (_, value) => {
    const raw = stored(value);
    expect(readKeyvEntry(raw)).toEqual(value);
    expect(readKeyvEntry(raw)).toEqual(defaultDeserialize<{ value: unknown }>(raw).value);
  });

  it('reads nothing from a missing key or an expired entry', () => {
    expect(readKeyvEntry(null)).toBeNull();
    expect(readKeyvEntry(stored({ a: 1 }, Date.now() - 1))).toBeNull();
    expect(readKeyvEntry(stored({ a: 1 }, Date.now() + 60_000))).toEqual({ a: 1 });
  });
});
