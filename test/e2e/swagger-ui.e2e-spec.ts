import type { Browser } from 'playwright-core';
import { describeWithBrowser, launchBrowser } from '../support/browser';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { RunningApi, startApi } from '../support/processes';

describeWithBrowser('Swagger UI under the security headers (built API, headless Chromium)', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi({ DATABASE_URL: db.url, ...OFFLINE_WEATHER });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await db?.drop();
  });

  it('renders every operation with no script blocked by the Content-Security-Policy', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    const response = await page.goto(`${api.url}/api/docs`, { waitUntil: 'networkidle' });
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await expect(page.locator('.swagger-ui .info .title').innerText()).resolves.toMatch(
      /Shipment tracking API/,
    );
    const operations = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(operations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/api\/v1\/shipments\/\{carrier\}\/\{trackingNumber\}/),
        expect.stringMatching(/\/metrics/),
      ]),
    );
    expect(errors).toEqual([]);
  });
});
