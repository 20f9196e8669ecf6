// Accessibility audit of every screen with axe-core (WCAG 2.0–2.2 A and AA
// rules), at the three sizes, in the indoor and the outdoor theme: no
// serious or critical violation may remain. axe is injected into the page
// from node_modules (no request leaves the test server).
//
// To audit a new screen, add it to ROUTES: the hash path, the fake
// backend's scenario, and a selector that shows the screen has loaded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { SIZES, open } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// Record ids of the fake backend's seeded data (fake-backend.ts: partners first, then encounters).
const HUSFLID = '0190f1f4-8a1c-7cc3-9b8e-000000000100';
const FIRST_ENCOUNTER = '0190f1f4-8a1c-7cc3-9b8e-000000000103';

export const ROUTES = [
  { name: 'welcome', path: '#/log', scenario: 'empty', ready: 'input' },
  { name: 'quick log', path: '#/log', ready: '[data-screen=log][data-interactive=yes]' },
  { name: 'quick log with its guide open', path: '#/log', ready: '[data-screen=log][data-interactive=yes]',
    then: async (page) => page.locator('[data-guide=perspective]').click() },
  { name: 'partner combobox open', path: '#/log', ready: '[data-screen=log][data-interactive=yes]',
    then: async (page) => {
      await page.getByTestId('partner-search').fill('vadsø');
      await page.locator('[role=option]').first().waitFor();
      await page.getByTestId('partner-search').press('ArrowDown');
    } },
  { name: 'pop-up start', path: '#/popup', ready: '[data-testid=popup-start]' },
  { name: 'timeline', path: '#/timeline', ready: '[data-screen=timeline][data-loaded=yes]' },
  { name: 'encounter', path: `#/encounters/${FIRST_ENCOUNTER}`, ready: '[data-screen=encounter] h1' },
  { name: 'partners', path: '#/partners', ready: '[data-screen=partners][data-loaded=yes]' },
  { name: 'partner', path: `#/partners/${HUSFLID}`, ready: '[data-screen=partner] h1' },
  { name: 'partner being edited', path: `#/partners/${HUSFLID}`, ready: '[data-screen=partner] h1',
    then: async (page) => page.getByTestId('edit-partner').click() },
  { name: 'partner merge dialog', path: `#/partners/${HUSFLID}`, ready: '[data-screen=partner] h1',
    then: async (page) => page.getByTestId('merge-open').click() },
  { name: 'partner erase dialog', path: `#/partners/${HUSFLID}`, ready: '[data-screen=partner] h1',
    then: async (page) => page.getByTestId('erase-open').click() },
  { name: 'activities', path: '#/activities', ready: '[data-screen=activities][data-loaded=yes]' },
  { name: 'activity', path: '#/activities', ready: '[data-screen=activities][data-loaded=yes]',
    then: async (page) => {
      await page.getByTestId('open-activity').first().click();
      await page.locator('[data-screen=activity] h1').waitFor();
    } },
  { name: 'my follow-ups', path: '#/followups', ready: '[data-screen=followups][data-loaded=yes]' },
  { name: 'effects', path: '#/effects', ready: '[data-screen=effects][data-loaded=yes]' },
  { name: 'effects as tables', path: '#/effects', ready: '[data-screen=effects][data-loaded=yes]',
    then: async (page) => { for (const b of await page.locator('[data-chart-table]').all()) await b.click(); } },
  { name: 'sync', path: '#/sync', ready: '[data-screen=sync] h1' },
  { name: 'conflicts inbox', path: '#/sync', scenario: 'conflicts', ready: '[data-screen=sync] fieldset' },
  { name: 'settings', path: '#/settings', ready: '[data-screen=settings] h1' },
];

const THEMES = [
  { name: 'indoor', scenario: (s) => s },
  // The outdoor scenario is the seeded data with the outdoor theme switched on.
  { name: 'outdoor', scenario: (s) => (s === 'seeded' ? 'outdoor' : null) },
];

/** Serious and critical axe violations on the page as it is now, one line each. */
export async function audit(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('axe audit', () => {
  it('catches a real violation (so a clean result means something)', async () => {
    const { page, close } = await open(SIZES[0]);
    await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.style.cssText = 'color:#ccc;background:#fff';
      document.querySelector('h1').after(b);
      const low = document.createElement('p');
      low.textContent = 'Lite synlig tekst';
      low.style.cssText = 'color:#bbb;background:#fff';
      document.querySelector('h1').after(low);
    });
    const found = await audit(page);
    assert.ok(found.some((v) => v.startsWith('button-name')), found.join('\n'));
    assert.ok(found.some((v) => v.startsWith('color-contrast')), found.join('\n'));
    await close();
  });
});

for (const theme of THEMES) {
  for (const size of SIZES) {
    describe(`axe, ${theme.name} theme, at ${size.name} ${size.width}x${size.height}`, () => {
      for (const r of ROUTES) {
        const scenario = theme.scenario(r.scenario ?? 'seeded');
        if (!scenario) continue;
        it(`${r.name}: no serious or critical violations`, async () => {
          const { page, errors, close } = await open(size, r.path, scenario);
          try {
            await page.locator(r.ready).first().waitFor();
            if (theme.name === 'outdoor') await page.locator('html[data-theme=outdoor]').waitFor();
            await r.then?.(page);
            assert.deepEqual(await audit(page), [], `${r.name} at ${size.name}`);
            assert.deepEqual(errors, []);
          } finally {
            await close();
          }
        });
      }
    });
  }
}
