import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { describeRequiring } from './redis';

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM; never a downloaded browser. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/** `describe` for specs that drive a real browser, with describeWithRedis's rules. */
export function describeWithBrowser(name: string, body: () => void): void {
  describeRequiring(
    { present: chromiumPath() !== null, what: 'Chromium', how: 'apt-get install chromium' },
    name,
    body,
  );
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath() ?? undefined });
}
