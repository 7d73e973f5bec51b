import { resolveCountry } from './country';

describe(resolveCountry.name, () => {
  it.each([
    ['FR', 'FR'],
    ['France', 'FR'],
    ['The Netherlands', 'NL'],
    ['Deutschland', 'DE'],
    ['DEU', 'DE'],
    ['UK', 'GB'],
    ['england', 'GB'],
  ])('resolves %j to %s', (text, code) => {
    expect(resolveCountry(text)?.code).toBe(code);
  });

  // A lookup table keyed by input must not answer with Object.prototype's members.
  it.each(['constructor', 'CONSTRUCTOR', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'resolves %j to nothing',
    (text) => {
      expect(resolveCountry(text)).toBeNull();
    },
  );
});
