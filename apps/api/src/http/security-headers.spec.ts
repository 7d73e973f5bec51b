import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("is helmet's set: a CSP that allows this origin's scripts only, and no upgrade of http", () => {
    const headers = securityHeaders();
    expect(headers['Content-Security-Policy']).toMatch(/default-src 'self'/);
    expect(headers['Content-Security-Policy']).toMatch(/script-src 'self';/);
    expect(headers['Content-Security-Policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Referrer-Policy': 'no-referrer',
    });
    expect(headers['X-Powered-By']).toBeUndefined();
  });
});
