/**
 * Everything this service knows about postcodes, per country (ISO 3166-1 alpha-2): the shape
 * that finds one in an address, its canonical spelling, and the part the public geocoders know.
 * Shapes from Google's address metadata (libaddressinput), cross-checked with
 * postcode-validator; upper-case input, `\s?` where people may omit the space.
 */
interface PostcodeFormat {
  pattern: string;
  /** From the compact form to the country's spelling; the compact form when absent. */
  canonical?: (compact: string) => string;
  /** The part the geocoders (GeoNames data) know; the canonical spelling when absent. */
  geocoder?: (compact: string) => string;
}

/** `SW1A1AA` -> `SW1A 1AA`: the inward code is always the last three characters. */
const inwardSpaced = (compact: string): string => `${compact.slice(0, -3)} ${compact.slice(-3)}`;
const spacedAfter =
  (length: number) =>
  (compact: string): string =>
    compact.length > length ? `${compact.slice(0, length)} ${compact.slice(length)}` : compact;
const firstOf =
  (length: number) =>
  (compact: string): string =>
    compact.slice(0, length);
const fiveDigits: PostcodeFormat = { pattern: '\\d{5}' };
const fourDigits: PostcodeFormat = { pattern: '\\d{4}' };
const threeTwo: PostcodeFormat = { pattern: '\\d{3}\\s?\\d{2}', canonical: spacedAfter(3) };

const FORMATS: ReadonlyMap<string, PostcodeFormat> = new Map(
  Object.entries({
    // UK and Irish outward codes, Canadian FSAs: the geocoders know only the first part.
    GB: {
      pattern: 'GIR\\s?0AA|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}',
      canonical: inwardSpaced,
      geocoder: (compact) => (compact.length > 4 ? compact.slice(0, -3) : compact),
    },
    IE: {
      pattern: '(?:[AC-FHKNPRTV-Y]\\d{2}|D6W)\\s?[0-9AC-FHKNPRTV-Y]{4}',
      canonical: (compact) => `${compact.slice(0, 3)} ${compact.slice(3)}`,
      geocoder: (compact) => (compact.length > 4 ? compact.slice(0, 3) : compact),
    },
    CA: {
      pattern: '[ABCEGHJ-NPRSTVXY]\\d[A-Z]\\s?\\d[A-Z]\\d',
      canonical: inwardSpaced,
      geocoder: firstOf(3),
    },
    US: { pattern: '\\d{5}(?:-\\d{4})?', geocoder: firstOf(5) },
    // 1016 AB: the geocoders know the four digits.
    NL: { pattern: '\\d{4}(?:\\s?[A-Z]{2})?', canonical: spacedAfter(4), geocoder: firstOf(4) },
    PL: { pattern: '\\d{2}-\\d{3}' },
    PT: { pattern: '\\d{4}-\\d{3}' },
    CZ: threeTwo,
    SK: threeTwo,
    SE: threeTwo,
    GR: threeTwo,
    FR: { pattern: '\\d{2}\\s?\\d{3}' },
    DE: fiveDigits,
    ES: fiveDigits,
    IT: fiveDigits,
    FI: fiveDigits,
    EE: fiveDigits,
    HR: fiveDigits,
    LT: fiveDigits,
    RO: { pattern: '\\d{6}' },
    BE: fourDigits,
    DK: fourDigits,
    AT: fourDigits,
    CH: fourDigits,
    NO: fourDigits,
    HU: fourDigits,
    LU: fourDigits,
    SI: fourDigits,
    BG: fourDigits,
    LV: fourDigits,
    AU: fourDigits,
  } satisfies Record<string, PostcodeFormat>),
);

/** Used for countries not in the table: a run of 4 to 6 digits. */
const FALLBACK = '\\d{4,6}';

/** The one way to compare postcodes: upper case, no whitespace (`1016 ab` = `1016AB`). */
export function compactPostcode(zip: string): string {
  return zip.replace(/\s+/g, '').toUpperCase();
}

/** Whether two spellings are the same postcode (the privacy gate's comparison). */
export function samePostcode(a: string, b: string): boolean {
  return compactPostcode(a) === compactPostcode(b);
}

/** A regular expression source that matches the country's postcodes inside an address. */
export function postcodePattern(countryCode: string | null): string {
  return (countryCode && FORMATS.get(countryCode)?.pattern) || FALLBACK;
}

/** Canonical spelling: upper case, and the space where the country puts one. */
export function normalizePostcode(zip: string, countryCode: string | null): string {
  const compact = compactPostcode(zip);
  const canonical = countryCode ? FORMATS.get(countryCode)?.canonical : undefined;
  return canonical ? canonical(compact) : compact;
}

/** What the geocoders are asked for this postcode (`1016 AB` and `1016` are both `1016`). */
export function geocoderPostcode(zip: string, countryCode: string): string {
  const geocoder = FORMATS.get(countryCode)?.geocoder;
  return geocoder ? geocoder(compactPostcode(zip)) : normalizePostcode(zip, countryCode);
}

/**
 * The cache key of a location's coordinates: what the geocoder is asked, so `1016` and
 * `1016 AB` (the same place to it) are geocoded once.
 */
export function geocodeKey(location: { countryCode: string; zip: string }): string {
  const countryCode = location.countryCode.toUpperCase();
  return `${countryCode}:${compactPostcode(geocoderPostcode(location.zip, countryCode))}`;
}
