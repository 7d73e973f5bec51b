import { POSTCODE_REGEXES } from 'postcode-validator/lib/cjs/postcode-regexes';

/**
 * Everything this service knows about postcodes, per country (ISO 3166-1 alpha-2): which
 * countries have them and their shapes (postcode-validator's table of 187 countries, kept up to
 * date from Google's address metadata), their canonical spelling, and the part the public
 * geocoders know. Only what that table can't say is written here.
 */
interface PostcodeRules {
  /** Also valid, beyond the table (NL `1016`: the sample data and the geocoders use it). */
  also?: RegExp;
  /** The canonical spelling has no separator although the table allows one (FR `75001`). */
  compact?: boolean;
  /** The part the geocoders (GeoNames data) know; the canonical spelling when absent. */
  geocoder?: (compact: string) => string;
}

const firstOf =
  (length: number) =>
  (compact: string): string =>
    compact.slice(0, length);

const RULES: ReadonlyMap<string, PostcodeRules> = new Map(
  Object.entries({
    // UK and Irish outward codes, Canadian FSAs: the geocoders know only the first part.
    GB: { geocoder: (compact) => (compact.length > 4 ? compact.slice(0, -3) : compact) },
    IE: { geocoder: firstOf(3) },
    CA: { geocoder: firstOf(3) },
    US: { geocoder: firstOf(5) },
    NL: { also: /^\d{4}$/, geocoder: firstOf(4) },
    FR: { compact: true },
  } satisfies Record<string, PostcodeRules>),
);

/** The table's patterns, case-insensitive (people type `sw1a 1aa`). */
const SHAPES: ReadonlyMap<string, RegExp> = new Map(
  [...POSTCODE_REGEXES].map(([code, pattern]) => [code, new RegExp(pattern.source, 'i')]),
);

/** A country prefix written before a postcode: `D-10115`, `L-1111`, `CH-8001`, `SE-114 55`. */
const COUNTRY_PREFIX = /^[A-Z]{1,3}-(?=\d)/i;

/** Used for an address whose country is unknown: a run of 4 to 6 digits. */
const UNKNOWN_COUNTRY = /^\d{4,6}$/;

/** Whether the country has postcodes at all (Hong Kong, Ireland before 2015... have none). */
export function hasPostcodes(countryCode: string): boolean {
  return SHAPES.has(countryCode);
}

/** Countries with a postcode table entry: what the address parser can read. */
export function postcodeCountries(): string[] {
  return [...SHAPES.keys()];
}

/**
 * The country's canonical spelling of a postcode as people type it (`31042` -> `31-042`,
 * `01310100` -> `01310-100`, `1016ab` -> `1016 AB`, `sw1a1aa` -> `SW1A 1AA`, `D-10115` ->
 * `10115`), or null when it is not one of the country's postcodes. Without a country, a run
 * of 4 to 6 digits.
 */
export function canonicalPostcode(text: string, countryCode: string | null): string | null {
  const typed = text.trim().toUpperCase();
  if (!countryCode) return UNKNOWN_COUNTRY.test(typed) ? typed : null;
  const shape = SHAPES.get(countryCode);
  if (!shape) return null;
  const rules = RULES.get(countryCode);
  const valid = (candidate: string): boolean =>
    shape.test(candidate) || (rules?.also?.test(candidate) ?? false);
  // Without the country prefix first: `SE-114 55` is `114 55`. Tried once when there is none.
  for (const written of new Set([typed.replace(COUNTRY_PREFIX, ''), typed])) {
    const compact = written.replace(/[\s-]+/g, '');
    if (compact.length === 0 || compact.length > 12) continue;
    // The spelling with the country's separator first; the table makes some optional.
    const candidates = rules?.compact ? [compact] : [];
    for (const separator of [' ', '-']) {
      for (let at = 1; at < compact.length; at++) {
        candidates.push(`${compact.slice(0, at)}${separator}${compact.slice(at)}`);
      }
    }
    candidates.push(compact);
    const canonical = candidates.find(valid);
    if (canonical) return canonical;
  }
  return null;
}

/** The one way to compare postcodes: upper case, no whitespace (`1016 ab` = `1016AB`). */
export function compactPostcode(zip: string): string {
  return zip.replace(/\s+/g, '').toUpperCase();
}

/** Whether two spellings are the same postcode (the privacy gate's comparison). */
export function samePostcode(a: string, b: string): boolean {
  return compactPostcode(a) === compactPostcode(b);
}

/** Canonical spelling when it is a postcode of the country, else upper case without spaces. */
export function normalizePostcode(zip: string, countryCode: string | null): string {
  return canonicalPostcode(zip, countryCode) ?? compactPostcode(zip);
}

/** What the geocoders are asked for this postcode (`1016 AB` and `1016` are both `1016`). */
export function geocoderPostcode(zip: string, countryCode: string): string {
  const geocoder = RULES.get(countryCode)?.geocoder;
  return geocoder ? geocoder(compactPostcode(zip)) : normalizePostcode(zip, countryCode);
}

/**
 * The cache key of a location's coordinates: what the geocoder is asked, so `1016` and
 * `1016 AB` (the same place to it) are geocoded once; a location without a postcode by its city.
 */
export function geocodeKey(location: {
  countryCode: string;
  zip: string | null;
  city?: string | null;
}): string {
  const countryCode = location.countryCode.toUpperCase();
  if (location.zip === null) return `${countryCode}:city:${cityKey(location.city)}`;
  return `${countryCode}:${compactPostcode(geocoderPostcode(location.zip, countryCode))}`;
}

/** How a city is compared: case and spacing don't matter. */
export function cityKey(city: string | null | undefined): string {
  return (city ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
}
