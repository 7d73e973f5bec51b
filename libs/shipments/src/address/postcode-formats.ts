/**
 * Postcode shapes per country (ISO alpha-2), from Google's address metadata (libaddressinput)
 * cross-checked with postcode-validator. Upper-case input; `\s?` where people may omit the space.
 */
const FORMATS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    GB: 'GIR\\s?0AA|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}',
    IE: '(?:[AC-FHKNPRTV-Y]\\d{2}|D6W)\\s?[0-9AC-FHKNPRTV-Y]{4}',
    US: '\\d{5}(?:-\\d{4})?',
    CA: '[ABCEGHJ-NPRSTVXY]\\d[A-Z]\\s?\\d[A-Z]\\d',
    NL: '\\d{4}(?:\\s?[A-Z]{2})?',
    PL: '\\d{2}-\\d{3}',
    PT: '\\d{4}-\\d{3}',
    CZ: '\\d{3}\\s?\\d{2}',
    SK: '\\d{3}\\s?\\d{2}',
    SE: '\\d{3}\\s?\\d{2}',
    GR: '\\d{3}\\s?\\d{2}',
    FR: '\\d{2}\\s?\\d{3}',
    DE: '\\d{5}',
    ES: '\\d{5}',
    IT: '\\d{5}',
    FI: '\\d{5}',
    EE: '\\d{5}',
    HR: '\\d{5}',
    LT: '\\d{5}',
    RO: '\\d{6}',
    BE: '\\d{4}',
    DK: '\\d{4}',
    AT: '\\d{4}',
    CH: '\\d{4}',
    NO: '\\d{4}',
    HU: '\\d{4}',
    LU: '\\d{4}',
    SI: '\\d{4}',
    BG: '\\d{4}',
    LV: '\\d{4}',
    AU: '\\d{4}',
  }),
);

/** Used for countries not in the table: a run of 4 to 6 digits. */
const FALLBACK = '\\d{4,6}';

export function postcodePattern(countryCode: string | null): string {
  return (countryCode && FORMATS.get(countryCode)) || FALLBACK;
}

/** Canonical spelling: upper case, single spaces, and the space where the country puts one. */
export function normalizePostcode(zip: string, countryCode: string | null): string {
  const compact = zip.toUpperCase().replace(/\s+/g, '');
  switch (countryCode) {
    case 'GB':
    case 'CA':
    case 'IE':
      return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
    case 'NL':
      return compact.length === 6 ? `${compact.slice(0, 4)} ${compact.slice(4)}` : compact;
    case 'CZ':
    case 'SK':
    case 'SE':
    case 'GR':
      return `${compact.slice(0, 3)} ${compact.slice(3)}`;
    default:
      return compact;
  }
}
