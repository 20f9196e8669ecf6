// Browser tests of working in the field (issue 18): the quick log's flow,
// pop-up mode, the partner combobox, the date field, the guide, chart
// tables, the outdoor theme and the layout fixes, at the three sizes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SIZES, open, usable, nav } from './harness.mjs';

// UPDATE_SCREENSHOTS=1 saves the field screens into docs/screenshots/<size>/ (the E2E run saves the same from the real app).
const shot = async (page, size, name) => {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: fileURLToPath(new URL(`../../../docs/screenshots/${size.name}/${name}.png`, import.meta.url)) });
};

const HUSFLID = '0190f1f4-8a1c-7cc3-9b8e-000000000100';
const ready = (page) => page.locator('[data-screen=log][data-interactive=yes]').waitFor();
const calls = (page, cmd) => page.evaluate((c) => window.__fake.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

for (const size of SIZES) {
  describe(`field work at ${size.name} ${size.width}x${size.height}`, () => {
    it('quick log: save returns to the top with focus on the first choice, and Undo takes it back', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      await page.locator('[data-perspective=service]').click();
      await page.locator('[data-counterpart=citizen]').click();
      await page.getByLabel('Notat').fill('Spurte etter lydbøker på samisk');
      await page.getByTestId('save').click();
      const toast = page.getByTestId('toast');
      await toast.getByText('Møtet er lagret').waitFor();
      assert.doesNotMatch(await toast.innerText(), /\d+\s*ms/, 'no timing figure in the toast');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-perspective')), 'co-creative');
      assert.equal(await page.evaluate(() => document.querySelector('.content').scrollTop), 0);
      await page.getByTestId('latest').getByText('Spurte etter lydbøker på samisk').waitFor();
      await page.getByTestId('undo').click();
      await toast.getByText('Angret').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid=latest]').textContent.includes('lydbøker på samisk'));
      const undone = await calls(page, 'undo_log');
      assert.equal(undone.length, 1);
      assert.equal(undone[0].logged.encounter, (await page.evaluate(() => window.__samskap.lastSavedId)));
      assert.deepEqual(errors, []);
      await close();
    });

    it('quick log: recent partners and places are one tap, a partner presets who you met, "yesterday" needs no typing', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      await page.locator(`[data-recent-partner="${HUSFLID}"]`).click();
      assert.equal(await page.locator('[data-counterpart=association]').getAttribute('aria-pressed'), 'true', 'an association presets "association"');
      await page.locator('[data-recent-place="Vadsø torg"]').click();
      assert.equal(await page.getByLabel('Sted', { exact: true }).inputValue(), 'Vadsø torg');
      assert.equal(await page.getByTestId('outside').isChecked(), true, 'outside as it was logged there last');
      await page.locator('[data-when=yesterday]').click();
      await page.getByTestId('when-time').fill('9.30');
      await page.getByTestId('when-time').press('Tab');
      await page.locator('[data-perspective=co-creative]').click();
      await page.getByTestId('save').click();
      await page.getByTestId('toast').waitFor();
      const form = (await calls(page, 'log_encounter'))[0].form;
      // Read in the page's own time zone (Europe/Oslo), as the person sees it.
      const [day, wanted, h, m] = await page.evaluate((w) => {
        const d = new Date(w);
        const y = new Date();
        y.setDate(y.getDate() - 1);
        return [d.toDateString(), y.toDateString(), d.getHours(), d.getMinutes()];
      }, form.when);
      assert.equal(day, wanted);
      assert.deepEqual([h, m], [9, 30]);
      assert.deepEqual(form.partners, [HUSFLID]);
      assert.equal(form.counterpart, 'association');
      assert.deepEqual(errors, []);
      await close();
    });

    it('quick log: a half-filled form is kept through the core and comes back after leaving the screen', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      await page.locator('[data-perspective=professional]').click();
      await page.getByLabel('Notat').fill('Halvferdig: lesesirkel for eldre');
      await page.waitForFunction(() => window.__fake.calls.some((c) => c.cmd === 'save_draft' && c.args.draft?.note?.includes('lesesirkel')));
      await page.locator('[data-nav=timeline]').click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      await page.locator('[data-nav=log]').click();
      await ready(page);
      await page.getByTestId('draft-restored').waitFor();
      assert.equal(await page.getByLabel('Notat').inputValue(), 'Halvferdig: lesesirkel for eldre');
      assert.equal(await page.locator('[data-perspective=professional]').getAttribute('aria-pressed'), 'true');
      await page.getByRole('button', { name: 'Begynn på nytt' }).click();
      await page.waitForFunction(() => window.__fake.calls.filter((c) => c.cmd === 'save_draft').at(-1).args.draft === null);
      assert.deepEqual(errors, []);
      await close();
    });

    it('partner picker: an ARIA combobox with arrow keys, Enter, Escape; an exact match hides "create"', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      const box = page.getByRole('combobox', { name: 'Partner', exact: true });
      await box.fill('vadsø');
      await page.getByRole('option', { name: /Vadsø husflidslag/ }).waitFor();
      assert.equal(await box.getAttribute('aria-expanded'), 'true');
      await box.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      assert.ok(active);
      assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('[role=option][aria-selected=true]').count(), 1);
      await box.press('ArrowDown');
      assert.notEqual(await box.getAttribute('aria-activedescendant'), active, 'the next option');
      await box.press('ArrowUp');
      await box.press('Enter');
      await page.locator(`[data-picked="${HUSFLID}"]`).waitFor();
      assert.equal(await box.inputValue(), '');
      await box.fill('Vadsø husflidslag');
      await page.getByRole('option', { name: /Vadsø husflidslag/ }).waitFor();
      assert.equal(await page.getByTestId('create-partner').count(), 0, 'an exact match hides "create"');
      await box.press('Escape');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      await box.fill('Kulturskolen');
      await page.getByTestId('create-partner').waitFor();
      await box.press('ArrowDown');
      await box.press('Enter');
      await page.locator('[data-picked-new="Kulturskolen"]').waitFor();
      assert.equal((await calls(page, 'create_partner')).length, 0, 'nothing is created before the save');
      assert.deepEqual(errors, []);
      await close();
    });

    it('the partner page link #/log?partner=<id> presets the partner', async () => {
      const { page, errors, close } = await open(size, `#/log?partner=${HUSFLID}`);
      await ready(page);
      await page.locator(`[data-picked="${HUSFLID}"]`).waitFor();
      assert.equal(await page.locator('[data-counterpart=association]').getAttribute('aria-pressed'), 'true');
      assert.deepEqual(errors, []);
      await close();
    });

    it('date field: dd.mm.åååå in Norwegian, a clear message for what is not a day, and the English form in English', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      const due = page.getByTestId('due');
      assert.equal(await due.getAttribute('placeholder'), 'dd.mm.åååå');
      await due.fill('1.6.2026');
      await due.press('Tab');
      assert.equal(await due.inputValue(), '01.06.2026');
      await due.fill('31.02.2026');
      await due.press('Tab');
      await page.getByRole('alert').getByText('Skriv datoen som dd.mm.åååå').waitFor();
      assert.equal(await due.getAttribute('aria-invalid'), 'true');
      await due.fill('02.06.2026');
      await due.press('Tab');
      await page.locator('[data-perspective=service]').click();
      await page.locator('[data-counterpart=citizen]').click();
      await page.getByLabel('Oppfølging').fill('Ring tilbake');
      await page.getByTestId('save').click();
      await page.getByTestId('toast').waitFor();
      assert.deepEqual((await calls(page, 'log_encounter'))[0].form.follow_up, { text: 'Ring tilbake', due: '2026-06-02' });
      await nav(page, 'settings');
      await page.locator('[data-language=en]').click();
      await page.locator('[data-nav=log]').click();
      await ready(page);
      assert.equal(await page.getByTestId('due').getAttribute('placeholder'), 'dd/mm/yyyy');
      assert.deepEqual(errors, []);
      await close();
    });

    it('guide: a "?" beside perspective, initiative and role explains each choice with an example', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      for (const g of ['perspective', 'initiative', 'role']) {
        const button = page.locator(`[data-guide=${g}]`);
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        await button.click();
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        const panel = page.locator(`[data-guide-panel=${g}]`);
        await panel.waitFor();
        assert.match(await panel.innerText(), /Eksempel:/);
      }
      assert.match(await page.locator('[data-guide-panel=perspective]').innerText(), /strikkekafé/);
      await page.locator('[data-guide=initiative]').click();
      await page.locator('[data-guide=role]').click();
      await page.locator('[data-guide=perspective]').scrollIntoViewIfNeeded();
      await shot(page, size, '20-quick-log-guide');
      await page.locator('[data-guide=initiative]').click();
      await page.locator('[data-guide=role]').click();
      assert.match(await page.locator('[data-guide-panel=role]').innerText(), /Tilretteleggende|tilrettelegg/i);
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('pop-up mode: start with a recent place, three taps an encounter, kept choices, a counter and a summary', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      await page.getByTestId('popup-open').click();
      await page.getByTestId('popup-start').waitFor();
      await page.getByTestId('popup-start').click();
      await page.getByText('Skriv inn stedet først').waitFor();
      await page.locator('[data-recent-place="Vadsø torg"]').click();
      await page.getByTestId('popup-start').click();
      await page.getByRole('heading', { name: 'Pop-up: Vadsø torg' }).waitFor();
      await usable(page, size);
      // Three taps: perspective, who, save.
      const taps = [];
      for (const [p, c] of [['service', 'citizen'], ['co-creative', 'association'], ['service', 'citizen']]) {
        let n = 0;
        await page.locator(`[data-perspective=${p}]`).click(); n++;
        await page.locator(`[data-counterpart=${c}]`).click(); n++;
        await page.getByTestId('popup-save').click(); n++;
        taps.push(n);
        await page.getByTestId('popup-count').getByText(`${taps.length} logget`).waitFor();
      }
      assert.deepEqual(taps, [3, 3, 3]);
      await page.locator('[data-perspective=co-creative]').click();
      await page.locator('[data-counterpart=citizen]').click();
      await shot(page, size, '21-popup');
      // Keeping "who you meet": the next encounter is two taps.
      await page.getByTestId('keep-counterpart').check();
      await page.locator('[data-perspective=professional]').click();
      await page.locator('[data-counterpart=citizen]').click();
      await page.getByTestId('popup-save').click();
      await page.getByTestId('popup-count').getByText('4 logget').waitFor();
      assert.equal(await page.locator('[data-counterpart=citizen]').getAttribute('aria-pressed'), 'true');
      await page.locator('[data-perspective=professional]').click();
      await page.getByTestId('popup-save').click();
      await page.getByTestId('popup-count').getByText('5 logget').waitFor();
      const forms = (await calls(page, 'log_encounter')).map((a) => a.form);
      assert.equal(forms.length, 5);
      assert.ok(forms.every((f) => f.place === 'Vadsø torg' && f.outside === true));
      await page.getByTestId('popup-end').click();
      const summary = page.getByTestId('popup-summary');
      await summary.getByText('5 møter på Vadsø torg').waitFor();
      assert.match(await summary.innerText(), /Service\w*\s+2/);
      assert.match(await summary.innerText(), /Innbygger\s+4/);
      assert.equal((await calls(page, 'save_settings')).at(-1).settings.popup, null);
      await usable(page, size);
      await shot(page, size, '22-popup-summary');
      await page.getByTestId('popup-finish').click();
      await ready(page);
      assert.deepEqual(errors, []);
      await close();
    });

    it('navigation: the new screen starts at the top, its heading has focus, the window is named after it', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      await page.evaluate(() => document.querySelector('.content').scrollTo({ top: 600 }));
      await page.locator('[data-nav=partners]').click();
      await page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Partnere');
      assert.equal(await page.title(), 'Partnere – Samskap');
      assert.equal(await page.evaluate(() => document.querySelector('.content').scrollTop), 0);
      assert.deepEqual(errors, []);
      await close();
    });

    it('layout: whole words in the navigation, fields clear of the save bar, filters folded on the phone', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      const broken = await page.evaluate(() => [...document.querySelectorAll(".nav a[data-nav] > span")]
        .filter((s) => s.getClientRects().length > 1 || s.getBoundingClientRect().height > parseFloat(getComputedStyle(s).lineHeight) * 1.5)
        .map((s) => s.textContent));
      assert.deepEqual(broken, [], 'no navigation label breaks inside a word');
      const small = await page.evaluate(() => [...document.querySelectorAll('.nav a')].filter((a) => parseFloat(getComputedStyle(a).fontSize) < 12).length);
      assert.equal(small, 0, 'navigation labels are at least 12 px');
      await page.getByLabel('Oppfølging').focus();
      const [field, bar] = await page.evaluate(() => [
        document.getElementById('ql-fu').getBoundingClientRect().bottom,
        document.querySelector('.sticky-save').getBoundingClientRect().top,
      ]);
      assert.ok(field <= bar + 1, `the follow-up field (bottom ${field}) is not under the save bar (top ${bar})`);
      const select = await page.evaluate(() => {
        const s = getComputedStyle(document.querySelector('select') ?? document.body);
        return s.appearance;
      });
      await page.getByTestId('partner-search').fill('Nytt lag');
      await page.getByTestId('create-partner').waitFor();
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.picker select')).appearance), 'none');
      assert.ok(select);
      await page.locator('[data-nav=timeline]').click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      const toggle = page.getByTestId('filter-toggle');
      if (size.width < 600) {
        assert.equal(await page.locator('#tl-filters').isVisible(), false, 'filters fold away on the phone');
        await toggle.click();
        assert.equal(await page.locator('#tl-filters').isVisible(), true);
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      } else {
        assert.equal(await toggle.isVisible(), false);
        assert.equal(await page.locator('#tl-filters').isVisible(), true);
      }
      assert.deepEqual(errors, []);
      await close();
    });

    it('charts: months in words, text of at least 12 px, and a table view of every chart', async () => {
      const { page, errors, close } = await open(size, '#/effects');
      await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
      const month = await page.locator('[data-month]').first().textContent();
      assert.doesNotMatch(month, /^\d{4}-\d{2}$/);
      assert.match(month, /^[a-zæøå]+\.? \d{4}$/);
      const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('svg.chart text')]
        .filter((t) => t.getClientRects().length)
        .map((t) => t.getBoundingClientRect().height)));
      assert.ok(smallest >= 12, `chart text is ${smallest}px high`);
      const charts = await page.locator('svg.chart').count();
      const toggles = page.locator('[data-chart-table]');
      assert.equal(await toggles.count(), charts, 'a table toggle per chart');
      await toggles.last().click();
      const table = page.locator('[data-level=visibility] table.data');
      await table.waitFor();
      assert.match(await table.innerText(), /Nettverk/);
      assert.match(await table.locator('tbody th').first().innerText(), /^[a-zæøå]+ \d{4}$/);
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('settings: the outdoor theme is saved with the device settings and applied at once', async () => {
      const { page, errors, close } = await open(size, '#/settings');
      await page.locator('[data-screen=settings] h1').waitFor();
      await page.getByTestId('outdoor').check();
      await page.locator('html[data-theme=outdoor]').waitFor();
      assert.equal((await calls(page, 'save_settings')).at(-1).settings.outdoor, true);
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(255, 255, 255)');
      await page.locator('[data-nav=log]').click();
      await ready(page);
      await page.locator('[data-perspective=co-creative]').click();
      await page.locator('[data-counterpart=association]').click();
      await page.evaluate(() => document.activeElement?.blur());
      await shot(page, size, '23-quick-log-outdoor');
      assert.deepEqual(errors, []);
      await close();
    });

    it('conflicts inbox: fields are named in the language, not by their slugs', async () => {
      const { page, errors, close } = await open(size, '#/sync', 'conflicts');
      await page.locator('[data-screen=sync] fieldset').first().waitFor();
      const legends = await page.locator('[data-screen=sync] fieldset legend').allInnerTexts();
      assert.ok(legends.some((l) => /telefon/.test(l)), legends.join(' | '));
      assert.ok(legends.every((l) => !/\bphone\b/.test(l)), legends.join(' | '));
      assert.deepEqual(errors, []);
      await close();
    });
  });

  describe(`navigation at ${size.name} ${size.width}x${size.height}`, () => {
    it('every label whole, no sideways scrolling, the sync state uncut; on a phone four screens and More', async () => {
      const { page, errors, close } = await open(size);
      await ready(page);
      const layout = () => page.evaluate(() => {
        const nav = document.querySelector('.nav');
        const box = nav.getBoundingClientRect();
        const visible = (el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0;
        const cut = [...nav.querySelectorAll('a > span, button > span, .syncstate .line > span')].filter(visible)
          .filter((s) => { const r = s.getBoundingClientRect(); const p = s.parentElement.getBoundingClientRect();
            return s.scrollWidth > s.clientWidth + 1 || r.right > p.right + 1 || r.right > box.right + 1; })
          .map((s) => s.textContent);
        return { cut, scrolls: nav.scrollWidth > nav.clientWidth + 1, items: [...nav.querySelectorAll('[data-nav], .more-toggle')].filter(visible).length };
      });
      const before = await layout();
      assert.deepEqual(before.cut, [], 'labels cut off');
      assert.equal(before.scrolls, false, 'the navigation scrolls sideways');
      if (size.width < 600) {
        assert.equal(before.items, 5);
        const more = page.getByTestId('nav-more');
        assert.equal(await more.getAttribute('aria-expanded'), 'false');
        await more.click();
        assert.equal(await more.getAttribute('aria-expanded'), 'true');
        assert.deepEqual((await layout()).cut, []);
        await page.keyboard.press('Escape');
        assert.equal(await more.getAttribute('aria-expanded'), 'false');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'nav-more-toggle');
        await nav(page, 'settings');
        await page.locator('[data-screen=settings]').waitFor();
        assert.equal(await more.getAttribute('aria-expanded'), 'false', 'the menu closes on the new screen');
        assert.match((await more.getAttribute('class')) ?? '', /active/);
      } else {
        assert.equal(before.items, 8);
        await nav(page, 'settings');
        await page.locator('[data-screen=settings]').waitFor();
      }
      assert.equal(await page.locator('[data-nav=settings]').getAttribute('aria-current'), 'page');
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
