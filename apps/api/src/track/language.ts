import Negotiator from 'negotiator';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How dates and numbers are written in each language. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The page's language: `?lang=` when it names one we have, else the best of Accept-Language
 * (`de-AT;q=0.9` counts as German), else English.
 */
export function pageLanguage(
  lang: unknown,
  acceptLanguage: string | string[] | undefined,
): { language: Language; chosen: boolean } {
  const asked = typeof lang === 'string' ? lang.trim().toLowerCase() : undefined;
  if (isLanguage(asked)) return { language: asked, chosen: true };
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  const best = new Negotiator({ headers: { 'accept-language': header } }).language([...LANGUAGES]);
  return { language: isLanguage(best) ? best : 'en', chosen: false };
}
