import { parseAddress, ParsedLocation } from './parse-address';

const loc = (
  zip: string | null,
  city: string | null,
  country: string | null,
  countryCode: string | null,
): ParsedLocation => ({
  zip,
  city,
  country,
  countryCode,
});

describe(parseAddress.name, () => {
  it.each<[string, ParsedLocation]>([
    // The sample data.
    ['Street 10, 75001 Paris, France', loc('75001', 'Paris', 'France', 'FR')],
    ['Street 1, 10115 Berlin, Germany', loc('10115', 'Berlin', 'Germany', 'DE')],
    ['Street 20, 1000 Brussels, Belgium', loc('1000', 'Brussels', 'Belgium', 'BE')],
    ['Street 5, 28013 Madrid, Spain', loc('28013', 'Madrid', 'Spain', 'ES')],
    ['Street 9, 1016 Amsterdam, Netherlands', loc('1016', 'Amsterdam', 'Netherlands', 'NL')],
    ['Street 15, 1050 Copenhagen, Denmark', loc('1050', 'Copenhagen', 'Denmark', 'DK')],
    // UK: postcode after the city, alone in its part, lower case, without space; "UK" spelling.
    ['10 Downing Street, London, SW1A 2AA, UK', loc('SW1A 2AA', 'London', 'United Kingdom', 'GB')],
    [
      'Buckingham Palace, London SW1A 1AA, United Kingdom',
      loc('SW1A 1AA', 'London', 'United Kingdom', 'GB'),
    ],
    ['1 Deansgate, Manchester m25bq, England', loc('M2 5BQ', 'Manchester', 'United Kingdom', 'GB')],
    // NL with letters, with and without the space; "The Netherlands".
    ['Dam 1, 1012 JS Amsterdam, The Netherlands', loc('1012 JS', 'Amsterdam', 'Netherlands', 'NL')],
    ['Coolsingel 40, 3011AD Rotterdam, Holland', loc('3011 AD', 'Rotterdam', 'Netherlands', 'NL')],
    // PL and PT with hyphens.
    ['ul. Marszałkowska 1, 00-950 Warszawa, Poland', loc('00-950', 'Warszawa', 'Poland', 'PL')],
    ['Rua Augusta 100, 1100-053 Lisboa, Portugal', loc('1100-053', 'Lisboa', 'Portugal', 'PT')],
    // CA with province, US with state and ZIP+4, "USA" spelling.
    ['24 Sussex Drive, Ottawa ON K1A 0B1, Canada', loc('K1A 0B1', 'Ottawa', 'Canada', 'CA')],
    [
      '1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA',
      loc('94043', 'Mountain View', 'United States of America', 'US'),
    ],
    [
      '9450 Wilshire Blvd, Beverly Hills, CA 90210-1234, United States',
      loc('90210-1234', 'Beverly Hills', 'United States of America', 'US'),
    ],
    // CZ with a space inside, "Czechia"; IT with leading zero; AT/CH with country prefixes.
    [
      'Václavské náměstí 1, 110 00 Praha 1, Czechia',
      loc('110 00', 'Praha 1', 'Czech Republic', 'CZ'),
    ],
    ['Via del Corso 1, 00186 Roma, Italy', loc('00186', 'Roma', 'Italy', 'IT')],
    ['Bahnhofstrasse 1, CH-8001 Zürich, Switzerland', loc('8001', 'Zürich', 'Switzerland', 'CH')],
    ['Stephansplatz 1, 1010 Wien, Österreich', loc('1010', 'Wien', 'Austria', 'AT')],
    ['Unter den Linden 1, D-10117 Berlin, Deutschland', loc('10117', 'Berlin', 'Germany', 'DE')],
    ['Drottninggatan 1, 111 51 Stockholm, Sweden', loc('111 51', 'Stockholm', 'Sweden', 'SE')],
    ['Rue de la Loi 16, 1000 Bruxelles, BE', loc('1000', 'Bruxelles', 'Belgium', 'BE')],
    ['  Street 10 ,   75001   Paris ,  France  ', loc('75001', 'Paris', 'France', 'FR')],
  ])('parses %s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  it.each<[string, ParsedLocation]>([
    ['', loc(null, null, null, null)],
    ['   ', loc(null, null, null, null)],
    ['somewhere over the rainbow', loc(null, null, null, null)],
    [',,,', loc(null, null, null, null)],
    ['Street 10, 75001 Paris, Atlantis', loc('75001', 'Paris', null, null)],
  ])('keeps what it cannot parse as null: %j', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  it.each<[string, ParsedLocation]>([
    ['Street 10, Paris, France', loc(null, 'Paris', 'France', 'FR')],
    ['Street 10, France', loc(null, null, 'France', 'FR')],
    ['Kowloon, Hong Kong', loc(null, 'Kowloon', 'Hong Kong', 'HK')],
  ])('keeps the city alone when there is no postcode: %j', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  it('never throws on hostile input', () => {
    const inputs = ['(((', '\u0000\u0001', 'a'.repeat(10_000), '12345 '.repeat(2000), '\n\n,\n'];
    for (const input of inputs) expect(() => parseAddress(input)).not.toThrow();
  });
});
