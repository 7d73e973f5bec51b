import { useApiSlice } from '../../../../test/support/api-slice';
import { PAGE_CSP } from './send-page';

/** The tracking pages over the fake lookup (test/support/api-slice.ts): every answer a page. */
describe('Tracking pages slice (fake services)', () => {
  const { http } = useApiSlice();
  const page = (path: string, language?: string) => {
    const req = http().get(path);
    return language ? req.set('Accept-Language', language) : req;
  };
  const expectPage = (res: { headers: Record<string, string>; text: string }, language = 'en') => {
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(res.headers['content-language']).toBe(language);
    expect(res.headers.vary).toMatch(/Accept-Language/);
    expect(res.text).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${language}">`));
    // No script of any kind, nothing from another origin.
    expect(res.text).not.toMatch(/<script|\son\w+=|https?:\/\//i);
  };

  it('answers the form at /track, in English by default', async () => {
    const res = await page('/track').expect(200);
    expectPage(res);
    expect(res.text).toContain('<form class="stack card" method="get" action="/track"');
    expect(res.text).toMatch(/name="carrier"[\s\S]*name="trackingNumber"[\s\S]*name="zip"/);
  });

  it('sends a submitted form on to the shipment’s URL, keeping a zip and a chosen language', async () => {
    const res = await page('/track?carrier=DHL&trackingNumber=TN1&zip=&lang=de').expect(303);
    expect(res.headers.location).toBe('/track/DHL/TN1?lang=de');
    const withZip = await page('/track?carrier=%20DHL&trackingNumber=TN1%20&zip=1012%20JS').expect(
      303,
    );
    expect(withZip.headers.location).toBe('/track/DHL/TN1?zip=1012+JS');
  });

  it('answers 400 with the form and what to fix when a field is missing or wrong', async () => {
    const res = await page(`/track?carrier=&trackingNumber=${'A'.repeat(65)}`).expect(400);
    expectPage(res);
    expect(res.text).toContain('Enter the carrier.');
    expect(res.text).toContain('The tracking number can have at most 64 characters');
    expect(res.text).toMatch(/id="carrier"[^>]*aria-invalid="true"/);
  });

  it('shows the public view: city and country, no street line or postcode', async () => {
    const res = await page('/track/DHL/TN1').expect(200);
    expectPage(res);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.text).toContain('Amsterdam, Netherlands');
    expect(res.text).not.toMatch(/Dam 1|1012|1016/);
    expect(res.text).toContain('aria-current="step"');
    expect(res.text).toContain('In transit');
    expect(res.text).toContain('name="zip"');
  });

  it('shows the street lines behind the right postcode, never to be cached', async () => {
    const res = await page('/track/DHL/TN1?zip=1012%20JS').expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.text).toContain('Dam 1, 1012 JS Amsterdam, Netherlands');
    expect(res.text).toContain('The postcode matches');
  });

  it('answers a wrong postcode with 403, the public view and a message', async () => {
    const res = await page('/track/DHL/TN1?zip=9999').expect(403);
    expectPage(res);
    expect(res.text).toContain('That postcode isn&#39;t the receiver&#39;s.');
    expect(res.text).not.toMatch(/Dam 1|1012 JS/);
  });

  it('answers the zip lock-out with 429, Retry-After and when to try again', async () => {
    const res = await page('/track/DHL/TN1?zip=LOCKED').expect(429);
    expect(res.headers['retry-after']).toBe('540');
    expect(res.text).toContain('Try again in 9 minutes.');
    expect(res.text).not.toMatch(/Dam 1|1012 JS/);
  });

  it('answers an unknown shipment with a 404 page that offers the form again, escaped', async () => {
    const res = await page('/track/%3Cb%3EDHL/NOPE').expect(404);
    expectPage(res);
    expect(res.text).toContain('We can&#39;t find this shipment');
    expect(res.text).toContain('value="&lt;b&gt;DHL"');
    expect(res.text).toContain('value="NOPE"');
    expect(res.text).not.toContain('<b>DHL');
  });

  it('answers the database away with a 503 page and Retry-After, a bug with a generic 500 page', async () => {
    const down = await page('/track/DHL/DOWN').expect(503);
    expectPage(down);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.text).toContain('Please try again in 5 seconds.');
    const bug = await page('/track/DHL/BUG').expect(500);
    expectPage(bug);
    expect(bug.text).toContain('Something went wrong');
    expect(bug.text).not.toContain('10.0.0.7');
  });

  it('speaks German from Accept-Language, and ?lang= overrides it', async () => {
    const de = await page('/track/DHL/TN1', 'de-DE,de;q=0.9,en;q=0.5').expect(200);
    expectPage(de, 'de');
    expect(de.text).toContain('Unterwegs');
    expect(de.text).toContain('Wetter am Zielort');
    const en = await page('/track/DHL/TN1?lang=en', 'de-DE').expect(200);
    expectPage(en, 'en');
    expect((await page('/track?lang=de').expect(200)).text).toContain('Sendung verfolgen');
  });

  it('answers a path under /track that no route has with a 404 page and the form', async () => {
    // With a trailing slash it is the form itself.
    expect((await page('/track/').expect(200)).text).toContain('name="trackingNumber"');
    for (const path of ['/track/DHL/TN1/more', '/track/a/b/c/d']) {
      const res = await page(path).expect(404);
      expectPage(res);
      expect(res.text).toContain('There is no such page');
      expect(res.text).toContain('name="trackingNumber"');
    }
    const post = await http().post('/track').expect(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(post.headers['content-type']).toBe('text/html; charset=utf-8');
    // The API's own unknown paths stay problem details.
    await http()
      .get('/api/v1/nothing')
      .expect('content-type', /problem\+json/)
      .expect(404);
  });

  it('serves its stylesheet and icon from this origin', async () => {
    const css = await page('/track/assets/track.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.timeline');
    await page('/track/assets/icon.svg').expect('content-type', 'image/svg+xml').expect(200);
  });
});
