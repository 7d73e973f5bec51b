import { resolveCountry } from './country';
import { normalizePostcode, postcodePattern } from '@app/weather';

/** What we keep of an address: enough to find it on a map, never the street line. */
export interface ParsedLocation {
  zip: string | null;
  city: string | null;
  country: string | null;
  countryCode: string | null;
}

export const UNPARSED_LOCATION: ParsedLocation = Object.freeze({
  zip: null,
  city: null,
  country: null,
  countryCode: null,
});

/** Optional country prefix before a European postcode: `D-10115`, `CH-8001`, `SE-114 55`. */
const PREFIX = '(?:[A-Z]{1,3}-)?';
/** A US state or Canadian province code written before the postcode. */
const REGION = '[A-Z]{2}';

/**
 * Parses a one-line address such as `Street 10, 75001 Paris, France` into postcode, city and
 * country. The country is the last comma part; the postcode may stand before the city
 * (`75001 Paris`), after it (`London SW1A 1AA`, `Ottawa ON K1A 0B1`) or alone in its own part
 * with the city in the part before (`Mountain View, CA 94043`). Never throws: whatever can't be
 * recognised is null.
 */
export function parseAddress(address: string): ParsedLocation {
  const parts = address
    .split(/[,\n]/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) return UNPARSED_LOCATION;

  const country = parts.length > 1 ? resolveCountry(parts[parts.length - 1]) : null;
  const rest = country ? parts.slice(0, -1) : parts;
  const countryCode = country?.code ?? null;
  const found = findPostcodeAndCity(rest, countryCode);

  return {
    zip: found ? normalizePostcode(found.zip, countryCode) : null,
    city: found?.city ?? null,
    country: country?.name ?? null,
    countryCode,
  };
}

function findPostcodeAndCity(
  parts: string[],
  countryCode: string | null,
): { zip: string; city: string | null } | null {
  const { zipAlone, zipThenCity, cityThenZip } = patternsFor(countryCode);

  // The postcode is nearer the end than the street, so search from the last part backwards; the
  // first part is only a candidate when it is the whole address.
  const first = parts.length > 1 ? 1 : 0;
  for (let i = parts.length - 1; i >= first; i--) {
    const part = parts[i];
    let match = zipAlone.exec(part);
    if (match) return { zip: match[1], city: i > 0 ? cleanCity(parts[i - 1]) : null };
    match = zipThenCity.exec(part);
    if (match) return { zip: match[1], city: cleanCity(match[2]) };
    match = cityThenZip.exec(part);
    if (match) return { zip: match[2], city: cleanCity(match[1]) };
  }
  return null;
}

interface AddressPatterns {
  zipAlone: RegExp;
  zipThenCity: RegExp;
  cityThenZip: RegExp;
}

const compiled = new Map<string, AddressPatterns>();

/** Compiled once per country: imports parse millions of addresses. */
function patternsFor(countryCode: string | null): AddressPatterns {
  const key = countryCode ?? '';
  let patterns = compiled.get(key);
  if (!patterns) {
    const zip = `(${postcodePattern(countryCode)})`;
    patterns = {
      zipAlone: new RegExp(`^(?:${REGION}\\s+)?${PREFIX}${zip}$`, 'i'),
      zipThenCity: new RegExp(`^${PREFIX}${zip}\\s+(\\D.*)$`, 'i'),
      cityThenZip: new RegExp(`^(.*\\D)\\s+(?:${REGION}\\s+)?${zip}$`, 'i'),
    };
    compiled.set(key, patterns);
  }
  return patterns;
}

const TRAILING_REGION = new RegExp(`\\s+${REGION}$`);

/** Drops a trailing region code (`Ottawa ON`) so the city reads as people write it. */
function cleanCity(city: string): string | null {
  const cleaned = city.replace(TRAILING_REGION, '').trim();
  return cleaned.length > 0 ? cleaned : null;
}
