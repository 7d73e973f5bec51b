/**
 * What a carrier or a tracking number may be, so that every imported shipment can be looked up:
 * the importer refuses what the API would refuse in a URL.
 */
export const LOOKUP_KEY_MAX_LENGTH = 64;

/** Printable text: no control characters (NUL included: PostgreSQL refuses it in text). */
export const PRINTABLE = /^[^\p{Cc}]*$/u;

/**
 * Characters that can't be seen or typed back from a label: format characters (zero-width space,
 * joiners, BOM, bidi marks), private use, unassigned, line/paragraph separators, whitespace other
 * than the plain space, and the blank fillers. A key holding one could never be looked up by what
 * a person reads off the parcel.
 */
export const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\u2800]|\u034f/u;

/** The reason a lookup key (carrier, tracking number) is unusable, or null when it is fine. */
export function lookupKeyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (!/\S/.test(value)) return 'is empty';
  if (trimmed.length > LOOKUP_KEY_MAX_LENGTH) {
    return `is longer than ${LOOKUP_KEY_MAX_LENGTH} characters`;
  }
  const invisible = INVISIBLE.exec(trimmed);
  if (!invisible) return null;
  const kind = /\p{Cc}/u.test(invisible[0]) ? 'a control character' : 'an invisible character';
  return `contains ${kind} (${codePoint(invisible[0])})`;
}

/** The reason free text holds a character PostgreSQL or a reader can't take, or null. */
export function controlCharacterProblem(value: string, multiline: boolean): string | null {
  const found = (multiline ? /(?![\t\n\r])\p{Cc}/u : /\p{Cc}/u).exec(value);
  return found ? `contains a control character (${codePoint(found[0])})` : null;
}

/** `U+200B`: how a character nobody can see is named in a message. */
function codePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
