/**
 * The part of a postcode the public geocoders know (GeoNames data): UK and Irish outward codes,
 * Canadian FSAs, the 4 digits of a Dutch code, the 5 digits of a US ZIP+4. Others as written.
 */
export function geocoderPostcode(zip: string, countryCode: string): string {
  const compact = zip.replace(/\s+/g, '').toUpperCase();
  switch (countryCode) {
    case 'GB':
    case 'IE':
      return compact.length > 4 ? compact.slice(0, -3) : compact;
    case 'CA':
      return compact.slice(0, 3);
    case 'NL':
      return compact.slice(0, 4);
    case 'US':
      return compact.slice(0, 5);
    default:
      return zip.trim().toUpperCase();
  }
}
