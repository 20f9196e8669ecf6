// Browser tests of the activity page, the board, "My follow-ups", the
// overdue banner on the home screen and the sync state in the navigation,
// at the three sizes, with the typed IPC mocked at the boundary.
// Run: node --test --test-concurrency=1 test/browser/work.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SIZES, open, usable, nav } from './harness.mjs';

const calls = (page, cmd) => page.evaluate((c) => window.__fake.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

for (const size of SIZES) {
  describe(`at ${size.name} ${size.width}x${size.height}`, () => {
    it('board: five columns without clipping, and a card opens its activity page', async () => {
      const { page, errors, close } = await open(size, '#/activities');
      await page.locator('[data-screen=activities][data-loaded=yes]').waitFor();
      await usable(page, size);
      const fit = await page.evaluate(() => {
        const board = document.querySelector('.board');
        const cols = [...board.querySelectorAll('.column')].map((c) => c.getBoundingClientRect());
        const b = board.getBoundingClientRect();
        return { cols: cols.map((r) => [Math.round(r.left), Math.round(r.right)]), left: b.left, right: b.right, scroll: board.scrollWidth - board.clientWidth };
      });
      assert.equal(fit.cols.length, 5);
      for (const [l, r] of fit.cols) {
        assert.ok(l >= fit.left - 1 && r <= fit.right + 1, `${size.name}: a column (${l}–${r}) is cut off by the board (${fit.left}–${fit.right})`);
      }
      assert.ok(fit.scroll <= 1, `${size.name}: the board scrolls ${fit.scroll}px sideways`);

      await page.locator('[data-activity]', { hasText: 'Strikkekafé' }).getByTestId('open-activity').click();
      const details = page.getByTestId('activity-details');
      await details.waitFor();
      assert.equal(await page.getByTestId('activity-title').innerText(), 'Strikkekafé');
      assert.match(await details.innerText(), /Pågår/);
      assert.match(await details.innerText(), /Vadsø torg · Utenfor biblioteket/);
      assert.match(await details.innerText(), /Hver tirsdag kl\. 18\./);
      assert.equal(await details.locator('[data-field=extra]').innerText(), 'Nei');
      assert.equal(await details.getByRole('link', { name: 'Vadsø husflidslag' }).getAttribute('href'), `#/partners/${encodeURIComponent(await page.evaluate(() => window.__fake.calls.find((c) => c.cmd === 'get_partner').args.id))}`);
      await details.locator('[data-origin]').waitFor();
      assert.match(await details.locator('[data-origin]').innerText(), /Vadsø torg/);
      assert.equal(await page.locator('[data-nav=activities]').getAttribute('aria-current'), 'page');
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('activity page: every field is edited, partners added and removed, and links lead on', async () => {
      const { page, errors, close } = await open(size, '#/activities');
      await page.locator('[data-screen=activities][data-loaded=yes]').waitFor();
      await page.locator('[data-activity]', { hasText: 'Strikkekafé' }).getByTestId('open-activity').click();
      await page.getByTestId('activity-details').waitFor();
      await page.getByTestId('edit').click();
      const form = page.getByTestId('activity-edit');
      await form.waitFor();
      await usable(page, size);
      await page.getByLabel('Tittel').fill('Strikkekafé for ungdom');
      await form.locator('[data-status=ended]').click();
      await page.getByLabel('Sted', { exact: true }).fill('Kárášjohka bibliotek');
      await form.getByTestId('a-outside').uncheck();
      await page.getByRole('button', { name: 'Fjern Vadsø husflidslag' }).click();
      await page.getByLabel('Legg til partner').fill('Kárášjoga');
      await page.getByRole('option', { name: /Kárášjoga searvi/ }).click();
      await form.locator('[data-extra=unknown]').click();
      await page.getByLabel('Notat').fill('Annenhver torsdag.\nGarn fra laget.');
      await page.getByLabel('Stikkord').fill('strikk, ungdom');
      await usable(page, size);
      await page.getByTestId('save-activity').click();
      const details = page.getByTestId('activity-details');
      await details.waitFor();
      assert.equal(await page.getByTestId('activity-title').innerText(), 'Strikkekafé for ungdom');
      assert.match(await details.innerText(), /Avsluttet/);
      assert.match(await details.innerText(), /Kárášjohka bibliotek · I biblioteket/);
      assert.equal(await details.locator('[data-field=extra]').innerText(), 'Vet ikke');
      assert.match(await details.locator('[data-field=partners]').innerText(), /Kárášjoga searvi/);
      assert.doesNotMatch(await details.locator('[data-field=partners]').innerText(), /husflidslag/);
      const [sent] = await calls(page, 'update_activity');
      assert.equal(sent.edit.status, 'ended');
      assert.equal(sent.edit.extra_resources, null, '"not known" is sent as null, not false');
      assert.equal(sent.edit.outside, false);
      assert.equal(sent.edit.partners.length, 1);
      assert.equal(sent.edit.from_encounters.length, 1, 'the origin encounter is kept');
      assert.equal(sent.edit.note, 'Annenhver torsdag.\nGarn fra laget.');
      await page.locator('[data-testid=history][data-loaded=yes]').getByText(/endret/).first().waitFor();

      await details.locator('[data-origin]').click();
      await page.getByTestId('encounter-details').waitFor();
      assert.match(await page.getByTestId('encounter-details').innerText(), /Vil starte strikkekafé på biblioteket/);
      assert.deepEqual(errors, []);
      await close();
    });

    it('encounter page: "make an activity of this encounter" opens the new activity with its origin and partners', async () => {
      const { page, errors, close } = await open(size, '#/timeline');
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      await page.locator('[data-encounter]').first().click();
      await page.getByTestId('encounter-details').waitFor();
      await usable(page, size);
      await page.getByTestId('make-activity').click();
      const details = page.getByTestId('activity-details');
      await details.waitFor();
      assert.match(page.url(), /#\/activities\/0190/);
      assert.equal(await page.getByTestId('activity-title').innerText(), 'Vil starte strikkekafé på biblioteket');
      assert.match(await details.innerText(), /Idé/);
      assert.match(await details.locator('[data-field=partners]').innerText(), /Vadsø husflidslag/);
      assert.match(await details.locator('[data-origin]').innerText(), /Vadsø torg/);
      const [made] = await calls(page, 'activity_from_encounter');
      assert.equal(made.id, (await calls(page, 'get_encounter'))[0].id);
      await nav(page, 'activities');
      await page.locator('[data-screen=activities][data-loaded=yes]').waitFor();
      await page.locator('[data-status=idea] [data-activity]', { hasText: 'Vil starte strikkekafé' }).waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('follow-ups: mine by due date with overdue ones marked, everyone\'s, mark done, jump to the encounter', async () => {
      const { page, errors, close } = await open(size, '#/followups');
      const list = page.getByTestId('followups');
      await page.locator('[data-screen=followups][data-loaded=yes]').waitFor();
      await list.locator('[data-follow-up]').first().waitFor();
      await usable(page, size);
      const texts = async () => list.locator('[data-follow-up] .text').allInnerTexts();
      assert.deepEqual(await texts(), ['Sjekk nøkler', 'Ring husflidslaget om garn', 'Bestill bøker på nordsamisk']);
      const overdue = list.locator('[data-overdue=yes]');
      assert.equal(await overdue.count(), 1);
      assert.match(await overdue.innerText(), /Forfalt[\s\S]*Frist 12\. mai 2026/);
      assert.match(await list.locator('[data-follow-up]').nth(2).innerText(), /Ingen frist/);

      await page.getByTestId('followups-all').check();
      await page.getByRole('heading', { name: 'Alle oppfølginger' }).waitFor();
      await list.getByText('Send plakat til Kárášjohka skole').waitFor();
      assert.deepEqual((await texts()).slice(0, 2), ['Sjekk nøkler', 'Send plakat til Kárášjohka skole']);
      assert.equal(await list.locator('[data-overdue=yes]').count(), 2);
      assert.match(await list.locator('[data-follow-up]').nth(1).innerText(), /Nils Áilo Labba/);
      await usable(page, size);

      await list.locator('[data-follow-up]').first().getByTestId('mark-done').click();
      await page.getByTestId('followups-note').getByText('Merket som gjort: Sjekk nøkler').waitFor();
      assert.deepEqual((await texts()).slice(0, 1), ['Send plakat til Kárášjohka skole']);
      const [done] = await calls(page, 'set_follow_up_done');
      assert.deepEqual({ item: done.item, done: done.done }, { item: 'f0', done: true });
      await page.getByTestId('followups-done').check();
      await list.locator('.done', { hasText: 'Sjekk nøkler' }).waitFor();
      await list.locator('.done').getByTestId('reopen').waitFor();

      await list.locator('[data-follow-up]').first().getByTestId('open-encounter').click();
      await page.getByTestId('encounter-details').getByText('Send plakat til Kárášjohka skole').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('home screen: the overdue banner leads to the follow-ups and goes away when they are done', async () => {
      const { page, errors, close } = await open(size);
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      const banner = page.getByTestId('overdue-banner');
      await banner.getByText('Du har 1 forfalt oppfølging').waitFor();
      await usable(page, size);
      const above = await page.evaluate(() => {
        const b = document.querySelector('[data-testid=overdue-banner]').getBoundingClientRect();
        const log = document.querySelector('[data-screen=log]').getBoundingClientRect();
        return b.bottom <= log.top + 1;
      });
      assert.ok(above, 'the banner sits above the quick log');
      await banner.click();
      await page.locator('[data-screen=followups][data-loaded=yes]').waitFor();
      await page.locator('[data-overdue=yes]').getByTestId('mark-done').click();
      await page.getByTestId('followups-note').getByText('Merket som gjort').waitFor();
      await page.locator('[data-nav=log]').click();
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      await page.waitForFunction(() => window.__fake.calls.filter((c) => c.cmd === 'overdue_follow_ups').length >= 2);
      assert.equal(await banner.count(), 0);
      assert.deepEqual(errors, []);
      await close();
    });

    it('navigation: offline, records not shared and the last sync always in view; local-only rows are marked', async () => {
      const { page, errors, close } = await open(size, '#/timeline');
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      const state = page.getByTestId('sync-state');
      await state.getByText('Frakoblet').waitFor();
      assert.equal(await state.getAttribute('data-unshared'), '2');
      assert.equal(await page.getByTestId('sync-unshared').innerText(), '2 ikke delt ennå');
      assert.equal(await page.getByTestId('sync-last').innerText(), 'Ikke synket ennå');
      const inView = await state.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
      });
      assert.ok(inView, `${size.name}: the sync state is on screen`);
      assert.equal(await page.locator('[data-testid=timeline] [data-testid=local-only]').count(), 2);
      await usable(page, size);

      // A new encounter is one more record not shared, and only on this device.
      await page.locator('[data-nav=log]').click();
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      await page.locator('[data-perspective=co-creative]').click();
      await page.locator('[data-counterpart=citizen]').click();
      await page.getByLabel('Notat').fill('Spurte om lesesirkel på samisk');
      await page.getByTestId('save').click();
      await page.getByTestId('latest').getByText('Spurte om lesesirkel på samisk').waitFor();
      await page.locator('[data-testid=sync-state][data-unshared="3"]').waitFor();

      // Syncing over a LAN session shares everything: online, nothing left, a last sync time.
      await state.click();
      await page.getByTestId('pending').getByText('3 poster er ikke delt ennå').waitFor();
      await page.getByLabel('Adresse').nth(1).fill('http://192.168.43.17:41873');
      await page.getByLabel('Invitasjonskode').nth(1).fill('ABCD-EFGH-JKLM');
      await page.getByTestId('lan-join').click();
      await page.getByTestId('lan-result').getByText('Synkronisert').waitFor();
      await page.locator('[data-testid=sync-state][data-online=yes][data-unshared="0"]').waitFor();
      assert.equal(await page.getByTestId('sync-unshared').innerText(), 'Alt er delt');
      assert.match(await page.getByTestId('sync-last').innerText(), /^Synket \S/);
      await state.getByText('Tilkoblet').waitFor();
      await page.locator('[data-nav=timeline]').click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      assert.equal(await page.locator('[data-testid=local-only]').count(), 0);
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('navigation: a store that never shared says "over 10 000" rather than counting a million', async () => {
      const { page, errors, close } = await open(size, '#/timeline', 'never-shared');
      await page.locator('[data-testid=sync-state][data-unshared="10000"]').waitFor();
      assert.match(await page.getByTestId('sync-unshared').innerText(), /^Over 10\s000 ikke delt ennå$/);
      await page.getByTestId('sync-state').click();
      assert.match(await page.getByTestId('pending').innerText(), /^Over 10\s000 poster er ikke delt ennå$/);
      assert.deepEqual(errors, []);
      await close();
    });

    it('navigation: a failed sync shows offline', async () => {
      const { page, errors, close } = await open(size, '#/sync', 'sync-error');
      await page.getByLabel('Adresse').nth(1).fill('http://192.168.43.99:41873');
      await page.getByTestId('lan-join').click();
      await page.getByTestId('lan-result').waitFor();
      await page.locator('[data-testid=sync-state][data-online=no]').waitFor();
      await page.getByTestId('sync-state').getByText('Frakoblet').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('partner activities: the partner page lists a partner\'s activities as links to their pages', async () => {
      const { page, errors, close } = await open(size, '#/partners');
      await page.getByRole('link', { name: /Vadsø husflidslag/ }).first().click();
      const box = page.getByTestId('partner-activities');
      await box.getByRole('link', { name: /Strikkekafé/ }).first().click();
      await page.getByTestId('activity-details').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });
    it('screenshots of the new screens', async () => {
      const shot = (n) => fileURLToPath(new URL(`../../../docs/screenshots/${size.name}/${n}.png`, import.meta.url));
      const { page, errors, close } = await open(size);
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      await page.getByTestId('overdue-banner').waitFor();
      await page.getByTestId('sync-state').waitFor();
      await page.screenshot({ path: shot('20-quick-log-overdue-sync-state') });
      await page.getByTestId('overdue-banner').click();
      await page.locator('[data-screen=followups][data-loaded=yes]').waitFor();
      await page.getByTestId('followups-all').check();
      await page.getByText('Send plakat til Kárášjohka skole').waitFor();
      await page.screenshot({ path: shot('21-follow-ups') });
      await nav(page, 'activities');
      await page.locator('[data-activity]', { hasText: 'Strikkekafé' }).getByTestId('open-activity').click();
      await page.getByTestId('activity-details').locator('[data-origin]').waitFor();
      await page.locator('[data-testid=history][data-loaded=yes]').waitFor();
      await page.screenshot({ path: shot('22-activity') });
      await page.getByTestId('edit').click();
      await page.getByTestId('activity-edit').waitFor();
      await page.screenshot({ path: shot('23-activity-edit') });
      await page.locator('[data-nav=timeline]').click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      await page.locator('[data-testid=local-only]').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('24-timeline-local-only') });
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
