import {
  compactPostcode,
  geocodeKey,
  geocoderPostcode,
  normalizePostcode,
  postcodePattern,
  samePostcode,
} from './postcodes';

describe('postcodes', () => {
  it.each([
    ['GB', 'sw1a1aa', 'SW1A 1AA', 'SW1A'],
    ['GB', 'M1 1AE', 'M1 1AE', 'M1'],
    ['IE', 'd02x285', 'D02 X285', 'D02'],
    ['CA', 'k1a0b1', 'K1A 0B1', 'K1A'],
    ['NL', '1016ab', '1016 AB', '1016'],
    ['NL', '1016', '1016', '1016'],
    ['US', '78701-1234', '78701-1234', '78701'],
    ['SE', '11152', '111 52', '111 52'],
    ['CZ', '110 00', '110 00', '110 00'],
    ['DE', ' 10115 ', '10115', '10115'],
    ['PL', '31-042', '31-042', '31-042'],
  ])('%s %j: canonical %j, the geocoder is asked %j', (country, zip, canonical, asked) => {
    expect(normalizePostcode(zip, country)).toBe(canonical);
    expect(geocoderPostcode(zip, country)).toBe(asked);
    expect(new RegExp(`^(?:${postcodePattern(country)})$`).test(canonical)).toBe(true);
  });

  it('compares postcodes ignoring case and spaces, the one way everywhere', () => {
    expect(compactPostcode(' 1016 ab ')).toBe('1016AB');
    expect(samePostcode('1016 AB', '1016ab')).toBe(true);
    expect(samePostcode('1016 AB', '1016 AC')).toBe(false);
  });

  it('keys coordinates by what the geocoder is asked: 1016 and 1016 AB are one place to it', () => {
    expect(geocodeKey({ countryCode: 'nl', zip: '1016 AB' })).toBe('NL:1016');
    expect(geocodeKey({ countryCode: 'NL', zip: '1016' })).toBe('NL:1016');
    expect(geocodeKey({ countryCode: 'SE', zip: '111 52' })).toBe('SE:11152');
  });

  it('finds an unlisted country by a run of 4 to 6 digits', () => {
    expect(postcodePattern('BR')).toBe('\\d{4,6}');
    expect(normalizePostcode('12345', 'BR')).toBe('12345');
  });
});
