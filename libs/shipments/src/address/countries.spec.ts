import { postcodeCountries } from '@app/weather';
import countries from 'i18n-iso-countries';
import { parseAddress } from './parse-address';

/**
 * Real address shapes from 48 countries, as people write them on one line: the postcode before
 * or after the city, glued to a state, with a country prefix, typed without its separator.
 * Expected: [address, country code, canonical postcode, city].
 */
const ADDRESSES: [string, string, string | null, string][] = [
  ['Avenida Paulista 1578, 01310-100 São Paulo, Brazil', 'BR', '01310-100', 'São Paulo'],
  ['Rua Oscar Freire 379, 01426001 São Paulo, Brasil', 'BR', '01426-001', 'São Paulo'],
  ['1 Macquarie St, Sydney NSW 2000, Australia', 'AU', '2000', 'Sydney'],
  ['1100 Congress Ave, Austin, TX 78701, USA', 'US', '78701', 'Austin'],
  ['350 5th Ave, New York, NY 10118-0110, United States', 'US', '10118-0110', 'New York'],
  ['1-1 Chiyoda, Chiyoda-ku, Tokyo 100-0005, Japan', 'JP', '100-0005', 'Tokyo'],
  ['Unter den Linden 1, D-10115 Berlin, Germany', 'DE', '10115', 'Berlin'],
  ['Unter den Linden 1, D-10115 Berlin', 'DE', '10115', 'Berlin'],
  ['2 Rue du Fossé, L-1111 Luxembourg', 'LU', '1111', 'Luxembourg'],
  ['2 Rue du Fossé, L-1111 Luxembourg, Luxembourg', 'LU', '1111', 'Luxembourg'],
  ['1 Grafton Street, Dublin D02 X285, Ireland', 'IE', 'D02 X285', 'Dublin'],
  ['Drottninggatan 53, 111 52 Stockholm, Sweden', 'SE', '111 52', 'Stockholm'],
  ['Sveavägen 1, SE-111 57 Stockholm, Sverige', 'SE', '111 57', 'Stockholm'],
  ['Rajpath, 110001 New Delhi, India', 'IN', '110001', 'New Delhi'],
  ['ul. Floriańska 1, 31042 Kraków, Poland', 'PL', '31-042', 'Kraków'],
  ['Damrak 1, 1016AB Amsterdam, Netherlands', 'NL', '1016 AB', 'Amsterdam'],
  ['10 Downing Street, London sw1a2aa, United Kingdom', 'GB', 'SW1A 2AA', 'London'],
  ['Rue de Rivoli 99, 75001 Paris, France', 'FR', '75001', 'Paris'],
  ['Rue de Rivoli 99, 75 001 Paris, France', 'FR', '75001', 'Paris'],
  ['290 Bremner Blvd, Toronto ON M5V3L9, Canada', 'CA', 'M5V 3L9', 'Toronto'],
  ['Paseo de la Reforma 50, 11580 Ciudad de México, Mexico', 'MX', '11580', 'Ciudad de México'],
  ['Av. Corrientes 1234, C1043AAZ Buenos Aires, Argentina', 'AR', 'C1043AAZ', 'Buenos Aires'],
  ['Av. Libertador 1000, 8320000 Santiago, Chile', 'CL', '8320000', 'Santiago'],
  ['Carrera 7 32-16, 110311 Bogotá, Colombia', 'CO', '110311', 'Bogotá'],
  ['1 Long Street, Cape Town 8001, South Africa', 'ZA', '8001', 'Cape Town'],
  ['Sejong-daero 110, Jung-gu, Seoul 04524, South Korea', 'KR', '04524', 'Seoul'],
  ['Chang An Jie 1, Beijing 100006, China', 'CN', '100006', 'Beijing'],
  ['Tverskaya ul. 13, 125009 Moscow, Russia', 'RU', '125009', 'Moscow'],
  ['İstiklal Cd. 1, 34433 Istanbul, Turkey', 'TR', '34433', 'Istanbul'],
  ['Rothschild Blvd 1, Tel Aviv 6688101, Israel', 'IL', '6688101', 'Tel Aviv'],
  ['1 Raffles Place, Singapore 048616, Singapore', 'SG', '048616', 'Singapore'],
  ['1 Queen Street, Auckland 1010, New Zealand', 'NZ', '1010', 'Auckland'],
  ['Rua Augusta 100, 1100-053 Lisboa, Portugal', 'PT', '1100-053', 'Lisboa'],
  ['Calle Mayor 1, 28013 Madrid, España', 'ES', '28013', 'Madrid'],
  ['Via del Corso 1, 00186 Roma, Italia', 'IT', '00186', 'Roma'],
  ['Stephansplatz 1, A-1010 Wien, Austria', 'AT', '1010', 'Wien'],
  ['Bahnhofstrasse 1, CH-8001 Zürich, Schweiz', 'CH', '8001', 'Zürich'],
  ['Grote Markt 1, 1000 Brussel, België', 'BE', '1000', 'Brussel'],
  ['Strøget 1, 1160 København K, Denmark', 'DK', '1160', 'København K'],
  ['Karl Johans gate 1, 0154 Oslo, Norway', 'NO', '0154', 'Oslo'],
  ['Mannerheimintie 1, FI-00100 Helsinki, Finland', 'FI', '00100', 'Helsinki'],
  ['Václavské náměstí 1, 11000 Praha 1, Czechia', 'CZ', '110 00', 'Praha 1'],
  ['Hlavné námestie 1, 811 01 Bratislava, Slovakia', 'SK', '811 01', 'Bratislava'],
  ['Váci utca 1, 1052 Budapest, Hungary', 'HU', '1052', 'Budapest'],
  ['Calea Victoriei 1, 010061 București, Romania', 'RO', '010061', 'București'],
  ['Ermou 1, 105 63 Athens, Greece', 'GR', '105 63', 'Athens'],
  ['Ilica 1, HR-10000 Zagreb, Croatia', 'HR', '10000', 'Zagreb'],
  ['Prešernov trg 1, 1000 Ljubljana, Slovenia', 'SI', '1000', 'Ljubljana'],
  ['Viru 1, 10111 Tallinn, Estonia', 'EE', '10111', 'Tallinn'],
  ['Brīvības iela 1, LV-1050 Rīga, Latvia', 'LV', '1050', 'Rīga'],
  ['Gedimino pr. 1, LT-01103 Vilnius, Lithuania', 'LT', '01103', 'Vilnius'],
  ['Khreshchatyk 1, Kyiv 01001, Ukraine', 'UA', '01001', 'Kyiv'],
  ['Sukhumvit Rd 1, Bangkok 10110, Thailand', 'TH', '10110', 'Bangkok'],
  ['Jl. M.H. Thamrin 1, Jakarta 10310, Indonesia', 'ID', '10310', 'Jakarta'],
  ['Jalan Ampang 1, 50450 Kuala Lumpur, Malaysia', 'MY', '50450', 'Kuala Lumpur'],
  ['Ayala Ave 1, Makati 1226, Philippines', 'PH', '1226', 'Makati'],
  ['Laugavegur 1, 101 Reykjavík, Iceland', 'IS', '101', 'Reykjavík'],
  ['Tahrir Square 1, Cairo 11511, Egypt', 'EG', '11511', 'Cairo'],
  // No postcodes at all, or none readable: the city alone.
  ['1 Harbour Road, Wan Chai, Hong Kong', 'HK', null, 'Wan Chai'],
  ['Sheikh Zayed Rd 1, Dubai, United Arab Emirates', 'AE', null, 'Dubai'],
  ['Hauptstraße 1, 1011 Berlin, Germany', 'DE', null, 'Berlin'],
];

describe('addresses from 48 countries', () => {
  it('covers at least 40 countries', () => {
    expect(new Set(ADDRESSES.map(([, code]) => code)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(ADDRESSES)('%s', (address, countryCode, zip, city) => {
    expect(parseAddress(address)).toEqual({
      zip,
      city,
      country: countries.getName(countryCode, 'en'),
      countryCode,
    });
  });

  it("reads postcodes for the countries of postcode-validator's table that people can name", () => {
    const named = postcodeCountries().filter((code) => countries.isValid(code));
    expect(named.length).toBeGreaterThan(175);
  });
});
