import { LOCALES, type Language } from './language';

/**
 * The receiver's time zone where the country has one offset (all its zones agree now: Germany,
 * France, the Netherlands, ...), else UTC: a wrong local time would be worse than a labelled
 * UTC one (Spain has the Canaries, the US six zones). Coordinates could tell more; a country is
 * what every address has.
 */
export function receiverTimeZone(countryCode: string | null, now = new Date()): string {
  if (!countryCode) return 'UTC';
  let zones: string[];
  try {
    const locale = new Intl.Locale(`und-${countryCode}`) as Intl.Locale & { timeZones?: string[] };
    zones = locale.timeZones ?? [];
  } catch {
    return 'UTC';
  }
  if (zones.length === 0) return 'UTC';
  const offsets = new Set(zones.map((zone) => offsetAt(zone, now)));
  return offsets.size === 1 ? zones[0] : 'UTC';
}

function offsetAt(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')!.value;
}

/** Writes times for one page: the receiver's language, in one time zone, named on each time. */
export class PageTime {
  private readonly format: Intl.DateTimeFormat;
  /** The page's locale, for numbers too. */
  readonly locale: string;

  constructor(
    language: Language,
    readonly timeZone: string,
  ) {
    this.locale = LOCALES[language];
    this.format = new Intl.DateTimeFormat(this.locale, {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
  }

  /** `30 Nov 2026, 15:05 CET`, `30. Nov. 2026, 15:05 MEZ`. */
  text(at: Date | string): string {
    return this.format.format(new Date(at));
  }

  /** For `<time datetime>`: the instant itself. */
  static machine(at: Date | string): string {
    return new Date(at).toISOString();
  }
}
