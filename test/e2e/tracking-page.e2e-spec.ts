import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WeatherFake } from '../fakes/weather-fake';
import { describeWithBrowser, launchBrowser } from '../support/browser';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { ROOT } from '../support/paths';
import { RunningApi, runCli, startApi } from '../support/processes';

const HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status,status_time';
const SENDER = '"Hauptstraße 5, 80331 München, Germany"';
const RECEIVER = '"Invalidenstraße 117, 10115 Berlin, Germany"';
/** The street line only the right postcode may show. */
const STREET = 'Invalidenstraße 117';

/** Where the screenshots go (the README shows copies of them from docs/). */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(ROOT, 'test-results', 'screenshots');

/**
 * The receivers' tracking page in headless Chromium (Debian's, driven by playwright-core)
 * against the built API: the form, the timeline, the weather card, the history, the zip gate,
 * the 404 page and German, each page checked by axe-core and without a CSP violation or a
 * request to another origin. Saves screenshots at 375 and 1280 px.
 */
describeWithBrowser('Tracking page (built API, headless Chromium, axe-core)', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let api: RunningApi;
  let browser: Browser;
  let dir: string;
  let axeSource: string;
  /** What every page did that it must not: console errors (CSP), other origins, JS errors. */
  const offences: string[] = [];

  const importRows = async (name: string, rows: string[]) => {
    const path = join(dir, name);
    await writeFile(path, [HEADER, ...rows].join('\n'));
    const run = await runCli(['import', path], env);
    expect(run.code).toBe(0);
  };
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    fake = await WeatherFake.start();
    dir = await mkdtemp(join(tmpdir(), 'tracking-page-'));
    env = { DATABASE_URL: db.url, ...OFFLINE_WEATHER, ...fake.env('open-meteo') };
    // Three imports make a history: label created, in transit, out for delivery.
    const tn1 = (status: string, time: string) =>
      `TN1,DHL,${SENDER},${RECEIVER},Laptop,1,899.90,LP1,${status},${time}\n` +
      `TN1,DHL,${SENDER},${RECEIVER},USB-C cable,2,12.50,CB2,${status},${time}`;
    await importRows('1.csv', [
      tn1('label created', '2026-11-28T09:12:00Z'),
      // A receiver postcode the weather provider doesn't know: the page says why there is none.
      `TN2,UPS,${SENDER},"Rue Inconnue 1, 99999 Nowhere, France",Book,1,20,BK1,delivered,2026-11-27T10:00:00Z`,
    ]);
    await importRows('2.csv', [tn1('in-transit', '2026-11-29T06:40:00+01:00')]);
    await importRows('3.csv', [tn1('out for delivery', '2026-11-30T07:55:00+01:00')]);
    api = await startApi(env);
    browser = await launchBrowser();
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await fake?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(offences.splice(0)).toEqual([]);
  });

  /** A browser context that records every offence; JavaScript off unless axe is to run. */
  const context = async (
    options: { locale?: string; width?: number; javaScript?: boolean } = {},
  ): Promise<BrowserContext> => {
    const created = await browser.newContext({
      locale: options.locale ?? 'en-GB',
      viewport: { width: options.width ?? 1280, height: 900 },
      javaScriptEnabled: options.javaScript ?? false,
    });
    created.on('page', (page) => watch(page));
    return created;
  };
  const watch = (page: Page) => {
    page.on('console', (message) => {
      // A page answered 403, 404 or 400 is said as a failed load: the statuses are checked.
      if (message.text().startsWith('Failed to load resource')) return;
      if (message.type() === 'error' || message.type() === 'warning')
        offences.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'document' && response.status() >= 400)
        offences.push(`${type} ${response.url()} answered ${response.status()}`);
    });
    page.on('pageerror', (error) => offences.push(`page error: ${String(error)}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(api.url)) offences.push(`other origin: ${request.url()}`);
    });
  };
  /** axe-core on the page: no serious or critical violation. */
  const expectAccessible = async (page: Page) => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe;
      const results = await axe.run();
      return results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
  };

  it('finds a shipment from the form and shows its timeline, weather and history, without JavaScript', async () => {
    const browserContext = await context();
    const page = await browserContext.newPage();
    const form = await page.goto(`${api.url}/track`);
    expect(form?.status()).toBe(200);
    expect(form?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    expect(form?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(form?.headers()['content-security-policy']).not.toMatch(/unsafe-inline|https:/);
    await page.getByLabel('Carrier').fill('dhl');
    await page.getByLabel('Tracking number').fill('tn1');
    await Promise.all([
      page.waitForURL(/\/track\/dhl\/tn1$/),
      page.getByRole('button', { name: 'Track' }).click(),
    ]);

    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Shipment TN1');
    const steps = await page.locator('.timeline li').allInnerTexts();
    expect(steps).toEqual(['Information received', 'In transit', 'Out for delivery', 'Delivered']);
    await expect(page.locator('.timeline [aria-current="step"]').innerText()).resolves.toBe(
      'Out for delivery',
    );
    await expect(page.locator('.timeline .step--done').count()).resolves.toBe(2);

    const weather = page.locator('.weather');
    await expect(weather.locator('.weather__temp').innerText()).resolves.toMatch(/^-?\d+ °C$/);
    await expect(weather.locator('.weather__condition').innerText()).resolves.toMatch(/\w/);
    await expect(weather.locator('svg.weather__icon').count()).resolves.toBe(1);
    await expect(weather.locator('time').getAttribute('datetime')).resolves.toMatch(/^\d{4}-/);
    await expect(weather.locator('.weather__stale').count()).resolves.toBe(0);

    // Newest first, in the receiver's time zone (Berlin), in English.
    const history = await page.locator('.history li').allInnerTexts();
    expect(history.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      '30 Nov 2026, 07:55 CET Out for delivery (out for delivery)',
      '29 Nov 2026, 06:40 CET In transit (in-transit)',
      '28 Nov 2026, 10:12 CET Information received (label created)',
    ]);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Berlin, Germany');
    expect(text).toMatch(/Laptop[\s\S]*899\.90/);
    expect(text).not.toContain(STREET);
    expect(text).not.toContain('10115');
    await browserContext.close();
  });

  it('shows the street line only behind the right postcode, and says when one is wrong', async () => {
    const browserContext = await context();
    const page = await browserContext.newPage();
    await page.goto(`${api.url}/track/DHL/TN1`);
    await page.getByLabel("Receiver's postcode").fill('99999');
    await Promise.all([
      page.waitForURL(/zip=99999/),
      page.getByRole('button', { name: 'Show addresses' }).click(),
    ]);
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/isn't the receiver's/);
    expect(await page.locator('body').innerText()).not.toContain(STREET);

    await page.getByLabel("Receiver's postcode").fill('10115');
    await Promise.all([
      page.waitForURL(/zip=10115/),
      page.getByRole('button', { name: 'Show addresses' }).click(),
    ]);
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/postcode matches/);
    await expect(page.locator('.party--receiver .address').innerText()).resolves.toBe(
      'Invalidenstraße 117, 10115 Berlin, Germany',
    );
    await browserContext.close();
  });

  it('answers an unknown shipment with a 404 page that offers the form again', async () => {
    const browserContext = await context();
    const page = await browserContext.newPage();
    const response = await page.goto(`${api.url}/track/DHL/NOPE123`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      "We can't find this shipment",
    );
    await expect(page.getByLabel('Tracking number').inputValue()).resolves.toBe('NOPE123');
    await page.getByLabel('Tracking number').fill('TN2');
    await page.getByLabel('Carrier').fill('UPS');
    await Promise.all([
      page.waitForURL(/\/track\/UPS\/TN2$/),
      page.getByRole('button', { name: 'Track' }).click(),
    ]);
    await expect(page.locator('.timeline [aria-current="step"]').innerText()).resolves.toBe(
      'Delivered',
    );
    await expect(page.locator('.weather__reason').innerText()).resolves.toBe(
      'The weather service does not know this place.',
    );
    await browserContext.close();
  });

  it('speaks German from the browser’s language, with German dates, and ?lang= overrides it', async () => {
    const browserContext = await context({ locale: 'de-DE' });
    const page = await browserContext.newPage();
    await page.goto(`${api.url}/track/DHL/TN1`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await expect(page.locator('.timeline [aria-current="step"]').innerText()).resolves.toBe(
      'In Zustellung',
    );
    await expect(page.locator('.history li time').first().innerText()).resolves.toBe(
      '30. Nov. 2026, 07:55 MEZ',
    );
    await expect(page.getByRole('heading', { name: 'Wetter am Zielort' }).count()).resolves.toBe(1);
    await page.goto(`${api.url}/track/DHL/TN1?lang=en`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await browserContext.close();
  });

  it('passes axe-core on every page, in both languages', async () => {
    for (const [locale, path] of [
      ['en-GB', '/track'],
      ['en-GB', '/track?carrier=&trackingNumber='],
      ['en-GB', '/track/DHL/TN1'],
      ['en-GB', '/track/DHL/TN1?zip=10115'],
      ['en-GB', '/track/DHL/TN1?zip=00000'],
      ['en-GB', '/track/UPS/TN2'],
      ['en-GB', '/track/DHL/NOPE'],
      ['de-DE', '/track'],
      ['de-DE', '/track/DHL/TN1'],
    ]) {
      for (const width of [375, 1280]) {
        const browserContext = await context({ locale, width, javaScript: true });
        const page = await browserContext.newPage();
        await page.goto(`${api.url}${path}`);
        await expectAccessible(page);
        await browserContext.close();
      }
    }
  });

  it('fits a phone and a desktop in both languages, and saves the screenshots', async () => {
    for (const locale of ['en-GB', 'de-DE']) {
      for (const width of [375, 1280]) {
        const browserContext = await context({ locale, width, javaScript: true });
        const page = await browserContext.newPage();
        for (const path of ['/track', '/track/DHL/TN1', '/track/DHL/TN1?zip=10115']) {
          await page.goto(`${api.url}${path}`);
          // Nothing wider than the screen: no sideways scrolling on a phone.
          await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBe(
            width,
          );
        }
        await page.goto(`${api.url}/track/DHL/TN1`);
        const name = locale === 'en-GB' ? `tracking-page-${width}` : `tracking-page-de-${width}`;
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
        await browserContext.close();
      }
    }
  });
});

/** The part of axe-core's result this test reads. */
interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
}
