/**
 * What a carrier or a tracking number may be, so that every imported shipment can be looked up:
 * the importer refuses what the API would refuse in a URL.
 */
export const LOOKUP_KEY_MAX_LENGTH = 64;

/** Printable text: no control characters. */
export const PRINTABLE = /^[^\p{Cc}]*$/u;
