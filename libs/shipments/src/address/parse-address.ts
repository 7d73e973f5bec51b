import { canonicalPostcode } from '@app/weather';
import { countryOfPrefix, resolveCountry } from './country';

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

/** A state, province or region code written beside the postcode: `TX`, `NSW`, `ON`. */
const REGION = /^[A-Z]{2,3}$/;
/** A country prefix on a postcode, which names the country when the address doesn't. */
const PREFIXED = /^([A-Z]{1,3})-\d/;

/**
 * Parses a one-line address such as `Street 10, 75001 Paris, France` into postcode, city and
 * country, for every country of the postcode table. The country is the last comma part (or the
 * prefix of `D-10115` when there is none); the postcode is one or two words at the start or the
 * end of a part, in any spelling the country's table accepts, and is stored canonical:
 * `01310-100 São Paulo`, `Sydney NSW 2000`, `Austin, TX 78701`, `Tokyo 100-0005`,
 * `Dublin D02 X285`, `111 52 Stockholm`. Without a readable postcode (Hong Kong has none) the
 * city alone is kept, so the location is still found by its city. Never throws: whatever can't
 * be recognised is null.
 */
export function parseAddress(address: string): ParsedLocation {
  const parts = address
    .split(/[,\n]/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) return UNPARSED_LOCATION;

  let country = parts.length > 1 ? resolveCountry(parts[parts.length - 1]) : null;
  const rest = country ? parts.slice(0, -1) : parts;
  country ??= countryFromPrefix(rest);
  const countryCode = country?.code ?? null;
  // A country without postcodes (Hong Kong) finds none: canonicalPostcode knows no shape for it.
  const found = findPostcode(rest, countryCode);

  return {
    zip: found?.zip ?? null,
    city: found ? found.city : country ? cityWithoutPostcode(rest) : null,
    country: country?.name ?? null,
    countryCode,
  };
}

function countryFromPrefix(parts: string[]): { code: string; name: string } | null {
  for (const part of parts) {
    const prefix = PREFIXED.exec(part.toUpperCase());
    const country = prefix ? countryOfPrefix(prefix[1]) : null;
    if (country) return country;
  }
  return null;
}

/**
 * The postcode and its city. The postcode is nearer the end than the street, so parts are
 * searched from the last backwards; the first part is only a candidate when it is the whole
 * address. Two-word postcodes (`SW1A 1AA`, `111 52`) are tried before one-word ones.
 */
function findPostcode(
  parts: string[],
  countryCode: string | null,
): { zip: string; city: string | null } | null {
  const first = parts.length > 1 ? 1 : 0;
  for (let i = parts.length - 1; i >= first; i--) {
    const words = parts[i].split(' ');
    const windows: [number, number][] = [];
    for (const size of [2, 1]) {
      if (words.length >= size) windows.push([0, size], [words.length - size, words.length]);
    }
    for (const [start, end] of windows) {
      const zip = canonicalPostcode(words.slice(start, end).join(' '), countryCode);
      if (!zip) continue;
      const remainder = [...words.slice(0, start), ...words.slice(end)];
      const city = cleanCity(remainder) ?? (i > 0 ? cleanCity(parts[i - 1].split(' ')) : null);
      return { zip, city };
    }
  }
  return null;
}

/**
 * A city for an address without a readable postcode: the part before the country without its
 * numbers (`1011 Berlin` -> `Berlin`); a lone part with numbers is a street line, not a city.
 */
function cityWithoutPostcode(parts: string[]): string | null {
  const last = parts[parts.length - 1];
  if (!last || (parts.length === 1 && /\d/.test(last))) return null;
  return cleanCity(last.split(' ').filter((word) => !/\d/.test(word)));
}

/** The words of a city, without a region code beside it (`Ottawa ON`, `NSW`). */
function cleanCity(words: string[]): string | null {
  const kept =
    words.length > 1 && REGION.test(words[words.length - 1]) ? words.slice(0, -1) : words;
  if (kept.length === 1 && REGION.test(kept[0])) return null;
  const city = kept.join(' ').trim();
  return city.length > 0 ? city : null;
}
