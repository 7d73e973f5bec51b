import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM; never a downloaded browser. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/**
 * `describe` for specs that drive a real browser: skipped, saying why, without Chromium; a
 * failure instead under REQUIRE_SERVICES=1 (CI installs it), so nothing is silently left out.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumPath()) {
    describe(name, body);
  } else if (process.env.REQUIRE_SERVICES === '1') {
    describe(name, () => {
      it('has Chromium', () => {
        throw new Error(
          'REQUIRE_SERVICES=1 but /usr/bin/chromium is missing (apt-get install chromium)',
        );
      });
    });
  } else {
    describe.skip(`${name} (skipped: needs Chromium; apt-get install chromium)`, body);
  }
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath() ?? undefined });
}
