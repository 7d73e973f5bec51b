import { pageLanguage } from './language';

describe(pageLanguage.name, () => {
  it.each<[string | undefined, string | undefined, string]>([
    [undefined, undefined, 'en'],
    [undefined, 'de-DE,de;q=0.9,en;q=0.8', 'de'],
    [undefined, 'de-AT', 'de'],
    [undefined, 'fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4', 'de'],
    [undefined, 'en-US,en;q=0.9,de;q=0.8', 'en'],
    [undefined, 'fr', 'en'],
    [undefined, 'de;q=0', 'en'],
    ['de', 'en', 'de'],
    ['DE', undefined, 'de'],
    ['en', 'de', 'en'],
    ['fr', 'de', 'de'],
    ['__proto__', undefined, 'en'],
  ])('lang=%j with Accept-Language %j is %s', (lang, header, language) => {
    expect(pageLanguage(lang, header).language).toBe(language);
  });

  it('says whether the language was chosen in the URL, so links keep it', () => {
    expect(pageLanguage('de', undefined).chosen).toBe(true);
    expect(pageLanguage('xx', 'de').chosen).toBe(false);
  });
});
