/**
 * ISO 8601 / RFC 3339 times as operators write them: `2026-11-30T14:05:00Z`,
 * `2026-11-30 14:05+01:00`, `2026-11-30T14:05:00.123+0100`, or without a zone
 * (`2026-11-30T14:05`, `2026-11-30`), which is read as UTC: ISO 8601 allows it, and refusing a
 * whole export for it would lose more than the caller's warning costs.
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** The example every message gives. */
export const ISO_TIME_EXAMPLE = 'e.g. 2026-11-30T14:05:00Z or 2026-11-30T15:05:00+01:00';

/** An instant read from text: `zoned` false when the text named no zone (read as UTC). */
export interface IsoTime {
  at: Date;
  zoned: boolean;
}

/** The instant, or what is wrong with the text (a phrase to put after the field's name). */
export function readIsoTime(text: string): IsoTime | { problem: string } {
  const match = ISO_TIME.exec(text.trim());
  if (!match) return { problem: `is not an ISO 8601 date-time (${ISO_TIME_EXAMPLE})` };
  const [
    ,
    year,
    month,
    day,
    hour,
    minute,
    second,
    fraction,
    zulu,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const parts = {
    month: [Number(month), 1, 12],
    day: [Number(day), 1, new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate()],
    hour: [Number(hour ?? 0), 0, 23],
    minute: [Number(minute ?? 0), 0, 59],
    second: [Number(second ?? 0), 0, 59],
    offset: [Number(offsetHours ?? 0) * 60 + Number(offsetMinutes ?? 0), 0, 18 * 60],
  } as const;
  for (const [name, [value, min, max]] of Object.entries(parts)) {
    if (value < min || value > max) return { problem: `has no such ${name} (${ISO_TIME_EXAMPLE})` };
  }
  const milliseconds = Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
  const offsetMs = (sign === '-' ? -1 : 1) * parts.offset[0] * 60_000;
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    parts.hour[0],
    parts.minute[0],
    parts.second[0],
    milliseconds,
  );
  return { at: new Date(utc - offsetMs), zoned: zulu !== undefined || sign !== undefined };
}
