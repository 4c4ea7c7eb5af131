// Headless Chromium (Debian's package) driven by playwright-core, in a fresh profile per run, plus the helpers
// browser tests share: screenshots under test-artifacts/ and waiting for charts to be drawn.
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './build.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium); the browser tests did not run`;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a clean run has none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'dashboard-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    acceptDownloads: true,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves the page as test-artifacts/dashboard/<name>.png: the whole page, or just the window for long lists. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Sizes of the drawn series (lines, areas, bars) inside a panel's charts, once at least one is drawn. */
export async function chartShapes(page: Page, panelSelector: string, timeoutMs = 10_000): Promise<Array<{ width: number; height: number }>> {
  const selector = `${panelSelector} .recharts-surface :is(.recharts-curve, .recharts-rectangle, .recharts-area-area, .recharts-line-curve)`;
  // Polled from here: the page's CSP forbids the string evaluation Playwright's in-page polling would use.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shapes = await page.$$eval(selector, (els) =>
      els.map((el) => {
        const box = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return { width: box.width, height: box.height };
      }),
    );
    if (shapes.some((s) => s.width > 0 && s.height > 0)) return shapes;
    if (Date.now() > deadline) throw new Error(`no chart drawn in ${panelSelector}`);
    await page.waitForTimeout(100);
  }
}

/** Retries a check until it returns a value that is not false/undefined, or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | false | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
