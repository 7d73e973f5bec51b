import {
  compactPostcode,
  geocodeKey,
  geocoderPostcode,
  canonicalPostcode,
  normalizePostcode,
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
    expect(canonicalPostcode(zip, country)).toBe(canonical);
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

  it.each([
    ['PL', '31042', '31-042'],
    ['BR', '01310100', '01310-100'],
    ['NL', '1016AB', '1016 AB'],
    ['GB', 'sw1a1aa', 'SW1A 1AA'],
    ['JP', '1000005', '100-0005'],
    ['SE', 'SE-114 55', '114 55'],
    ['LU', 'L-1111', '1111'],
    ['FR', '75 001', '75001'],
    ['US', '787011234', '78701-1234'],
  ])('%s %j is stored as %j', (country, typed, canonical) => {
    expect(canonicalPostcode(typed, country)).toBe(canonical);
  });

  it.each([
    ['DE', '1011'],
    ['PL', '310420'],
    ['HK', '999077'],
    ['GB', 'LONDON'],
  ])('%s %j is not a postcode', (country, typed) => {
    expect(canonicalPostcode(typed, country)).toBeNull();
  });

  it('reads a run of 4 to 6 digits when the country is unknown', () => {
    expect(canonicalPostcode('75001', null)).toBe('75001');
    expect(canonicalPostcode('123', null)).toBeNull();
  });

  it('keys a location without a postcode by its city', () => {
    expect(geocodeKey({ countryCode: 'hk', zip: null, city: ' Wan  Chai ' })).toBe(
      'HK:city:wan chai',
    );
  });
});
