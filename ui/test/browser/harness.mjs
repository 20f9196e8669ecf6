// Shared harness of the browser tests: the UI served by Vite, headless
// Debian Chromium, the typed IPC mocked at the boundary (fake-backend.ts),
// and the three sizes the app is designed for. Each `*.test.mjs` file in
// this folder imports it; `node --test test/browser/` runs them all.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';

const UI = fileURLToPath(new URL('../..', import.meta.url));
export const SIZES = [
  { name: 'tablet-landscape', width: 1280, height: 800 },
  { name: 'tablet-portrait', width: 800, height: 1280 },
  { name: 'phone', width: 390, height: 844 },
];

let server;
let browser;
let base;

before(async () => {
  server = await createServer({ root: UI, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls.local[0];
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

export async function open(size, path = '#/log', scenario = 'seeded') {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, locale: 'nb-NO', timezoneId: 'Europe/Oslo', hasTouch: size.width < 1000 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // No request may leave the device: anything but the local test server fails the test.
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) errors.push(`request left the page: ${r.url()}`);
  });
  await page.goto(`${base}test/browser/mock.html?scenario=${scenario}${path}`);
  return { page, errors, close: () => context.close() };
}

/** The page fits the viewport (no sideways scrolling) and every control is big enough to touch. */
export async function usable(page, size) {
  const { overflow, small } = await page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const small = [...document.querySelectorAll('button, a[href], input, select, textarea')]
      .filter((el) => el.offsetParent !== null && el.type !== 'checkbox' && el.type !== 'radio')
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44)
      .map(({ el }) => el.outerHTML.slice(0, 80));
    return { overflow, small };
  });
  assert.ok(overflow <= 1, `${size.name}: page is ${overflow}px wider than the screen`);
  assert.deepEqual(small, [], `${size.name}: touch targets under 44px`);
}


/** Goes to a screen by the navigation, as a person would: on a phone the last four sit behind "More". */
export async function nav(page, screen) {
  const link = page.locator(`[data-nav=${screen}]`);
  if (!(await link.isVisible())) await page.getByTestId('nav-more').click();
  await link.click();
}
