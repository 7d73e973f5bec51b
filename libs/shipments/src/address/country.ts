import countries from 'i18n-iso-countries';

/** Names people write that no locale of the library knows, mapped to ISO 3166-1 alpha-2. */
const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    england: 'GB',
    scotland: 'GB',
    wales: 'GB',
    'northern ireland': 'GB',
    'great britain': 'GB',
    britain: 'GB',
    holland: 'NL',
    korea: 'KR',
  }),
);

/** Locales tried in order: English first, then the languages our carriers' customers write in. */
const LOCALES = ['en', 'de', 'fr', 'nl', 'es', 'it', 'pl', 'pt', 'da', 'sv', 'cs'];

/** What a resolved code must look like, whatever a library's table returns for odd input. */
const ALPHA2 = /^[A-Z]{2}$/;

export interface Country {
  code: string;
  name: string;
}

/**
 * Resolves a free-text country ("UK", "The Netherlands", "Deutschland", "DEU") to its alpha-2 code
 * and English name, or null when nothing matches.
 */
export function resolveCountry(text: string): Country | null {
  const cleaned = text.replace(/\./g, '').replace(/\s+/g, ' ').trim();
  if (cleaned.length < 2) return null;
  const code = lookup(cleaned) ?? lookup(cleaned.replace(/^the /i, ''));
  return code ? { code, name: countries.getName(code, 'en') ?? code } : null;
}

function lookup(name: string): string | undefined {
  const alias = ALIASES.get(name.toLowerCase());
  if (alias) return alias;
  if (/^[A-Za-z]{2}$/.test(name) && countries.isValid(name.toUpperCase())) {
    return name.toUpperCase();
  }
  if (/^[A-Za-z]{3}$/.test(name)) {
    const fromAlpha3 = countries.alpha3ToAlpha2(name.toUpperCase());
    if (typeof fromAlpha3 === 'string' && ALPHA2.test(fromAlpha3)) return fromAlpha3;
  }
  for (const locale of LOCALES) {
    const code = countries.getAlpha2Code(name, locale);
    if (typeof code === 'string' && ALPHA2.test(code)) return code;
  }
  return undefined;
}

/**
 * The European vehicle-registration letters people write before a postcode (`D-10115`,
 * `L-1111`, `CH-8001`): they name the country when the address doesn't.
 */
const POSTCODE_PREFIXES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    A: 'AT',
    B: 'BE',
    BG: 'BG',
    CH: 'CH',
    CZ: 'CZ',
    D: 'DE',
    DK: 'DK',
    E: 'ES',
    EST: 'EE',
    F: 'FR',
    FI: 'FI',
    FIN: 'FI',
    GR: 'GR',
    H: 'HU',
    HR: 'HR',
    I: 'IT',
    L: 'LU',
    LT: 'LT',
    LV: 'LV',
    N: 'NO',
    NL: 'NL',
    P: 'PT',
    PL: 'PL',
    RO: 'RO',
    S: 'SE',
    SE: 'SE',
    SK: 'SK',
    SLO: 'SI',
  }),
);

export function countryOfPrefix(prefix: string): Country | null {
  const code = POSTCODE_PREFIXES.get(prefix.toUpperCase());
  return code ? { code, name: countries.getName(code, 'en') ?? code } : null;
}
