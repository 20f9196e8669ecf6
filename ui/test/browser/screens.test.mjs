// Browser tests of every screen, with the typed IPC mocked at the boundary
// (fake-backend.ts), in headless Debian Chromium at the three sizes the app
// is designed for. Run: npm run test:browser
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SIZES, open, usable } from './harness.mjs';

for (const size of SIZES) {
  describe(`at ${size.name} ${size.width}x${size.height}`, () => {
    it('welcome: creates the store and lands on the quick log', async () => {
      const { page, errors, close } = await open(size, '#/log', 'empty');
      await page.getByRole('heading', { name: 'Velkommen til Samskap' }).waitFor();
      await usable(page, size);
      await page.getByLabel('Navnet ditt').fill('Áile Somby');
      await page.getByLabel('Avdeling').fill('Kárášjohka');
      await page.getByRole('button', { name: 'Opprett og start' }).click();
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('quick log: chips, partner search, inline partner, save shows it at once', async () => {
      const { page, errors, close } = await open(size);
      await page.locator('[data-screen=log][data-interactive=yes]').waitFor();
      await usable(page, size);
      const save = page.getByTestId('save');
      assert.equal(await save.isDisabled(), true, 'save waits for perspective and counterpart');
      await page.locator('[data-perspective=co-creative]').click();
      await page.locator('[data-counterpart=association]').click();
      await page.getByTestId('partner-search').fill('husflid');
      await page.getByRole('option', { name: /Vadsø husflidslag/ }).click();
      await page.getByTestId('partner-search').fill('Sjakkvennene');
      await page.getByTestId('create-partner').click();
      assert.equal(await page.locator('[data-picked]').count(), 1);
      assert.equal(await page.locator('[data-picked-new]').count(), 1, 'a typed partner waits for the save');
      assert.equal((await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'create_partner'))).length, 0);
      await page.getByLabel('Sted', { exact: true }).fill('Vadsø torg');
      await page.getByTestId('outside').check();
      await page.getByLabel('Notat').fill('Vil starte strikkekafé for ungdom');
      await page.getByLabel('Stikkord').fill('strikking ungdom');
      await save.click();
      await page.getByTestId('latest').getByText('Vil starte strikkekafé for ungdom').waitFor();
      const sent = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'log_encounter').map((c) => c.args.form));
      assert.equal(sent.length, 1);
      assert.equal(sent[0].perspective, 'co-creative');
      assert.equal(sent[0].partners.length, 1);
      assert.deepEqual(sent[0].new_partners, [{ name: 'Sjakkvennene', kind: 'association', place: '' }]);
      assert.equal(sent[0].outside, true);
      assert.equal(await page.locator('[data-perspective][aria-pressed=true]').count(), 0, 'the form is cleared for the next one');
      const m = await page.evaluate(() => window.__samskap);
      assert.equal(m.saveToTimelineMs.length, 1);
      assert.deepEqual(errors, []);
      await close();
    });

    it('timeline: full-text search and filters', async () => {
      const { page, errors, close } = await open(size, '#/timeline');
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      await usable(page, size);
      assert.equal(await page.locator('[data-testid=timeline] > li').count(), 24);
      await page.getByTestId('timeline-search').fill('strikkekafé');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=timeline] > li').length === 1);
      await page.getByTestId('timeline-search').fill('');
      // On the phone the filters are folded behind one button.
      if (await page.getByTestId('filter-toggle').isVisible()) await page.getByTestId('filter-toggle').click();
      await page.getByLabel('Perspektiv').selectOption('co-creative');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=timeline] > li').length === 6);
      await page.getByLabel('Ansatt').selectOption({ label: 'Ingrid Haugen' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=timeline] > li').length === 6);
      await page.getByLabel('Periode').selectOption('today');
      const last = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'list_encounters').at(-1).args.filter);
      assert.equal(last.perspective, 'co-creative');
      assert.ok(last.since, 'a period sends a start instant');
      assert.deepEqual(errors, []);
      await close();
    });

    it('partners: directory, partner page with circle, history, contacts, agreements, evaluations, links', async () => {
      const { page, errors, close } = await open(size, '#/partners');
      await page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
      await usable(page, size);
      assert.equal(await page.locator('[data-testid=partners] > li').count(), 3);
      await page.getByRole('button', { name: 'Partnerskap' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=partners] > li').length === 1);
      await page.getByRole('link', { name: /Vadsø husflidslag/ }).click();
      await page.getByRole('heading', { name: 'Vadsø husflidslag' }).waitFor();
      await usable(page, size);
      assert.equal(await page.locator('figure[data-level=partnership]').count(), 1);
      await page.getByText('Máret Ánte Sara', { exact: true }).waitFor();
      await page.getByText('Strikkekafé hver tirsdag').waitFor();
      await page.getByText('I høy grad').waitFor();
      await page.getByText('Vil starte strikkekafé på biblioteket').waitFor();
      await page.locator('[data-move=collaboration]').click();
      await page.locator('figure[data-level=collaboration]').waitFor();
      assert.equal(await page.locator('[data-testid=level-history] > li').count(), 3);
      // The change history: colleagues' devices, a device without staff, personal fields without values.
      const history = page.getByTestId('history');
      await history.locator('[data-history-entry]').first().getByText('endret nivå i nettverkssirkelen').waitFor();
      const lines = await history.locator('[data-history-entry]').allInnerTexts();
      assert.equal(lines.length, 5);
      assert.match(lines[0], /Ingrid Haugen[\s\S]*nå[\s\S]*denne enheten/);
      assert.match(lines[2], /Ukjent ansatt[\s\S]*endret stikkord[\s\S]*enhet 9c0ffee0/);
      assert.match(lines[3], /Nils Áilo Labba[\s\S]*endret kontaktpersonens telefon og telefon[\s\S]*enhet 7b2d9e41/);
      assert.match(lines[4], /Ingrid Haugen[\s\S]*opprettet posten/);
      assert.ok(!(await history.innerText()).includes('915 00 001'), 'a personal value never shows in the history');
      await usable(page, size);
      await page.getByRole('button', { name: 'Legg til kontaktperson' }).click();
      await page.getByLabel('Navn', { exact: true }).fill('Per Olsen');
      await page.getByRole('button', { name: 'Lagre' }).click();
      await page.getByText('Per Olsen').waitFor();
      await history.locator('[data-history-entry]').first().getByText('endret kontaktpersoner').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('activities: the board moves cards idea → planned and adds ideas', async () => {
      const { page, errors, close } = await open(size, '#/activities');
      await page.locator('[data-screen=activities][data-loaded=yes]').waitFor();
      await usable(page, size);
      for (const s of ['idea', 'planned', 'running', 'ended', 'dropped']) assert.equal(await page.locator(`[data-status=${s}]`).count(), 1);
      await page.locator('[data-status=idea] [data-next=planned]').click();
      await page.locator('[data-status=planned]').getByText('Fuglekasseverksted').waitFor();
      await page.getByLabel('Ny idé …').fill('Plantebytte');
      await page.getByRole('button', { name: 'Legg til idé' }).click();
      await page.locator('[data-status=idea]').getByText('Plantebytte').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('effects: charts for the four levels, a period picker, export and an import preview', async () => {
      const { page, errors, close } = await open(size, '#/effects');
      await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
      await usable(page, size);
      for (const l of ['personal', 'institutional', 'relevance', 'visibility']) assert.equal(await page.locator(`[data-level=${l}] svg`).count(), 1, l);
      assert.equal(await page.locator('[data-level=personal] [data-bar]').count(), 4, 'a bar per perspective');
      assert.equal(await page.locator('[data-level=visibility] polygon[data-series]').count(), 3, 'an area per level');
      assert.ok(await page.locator('[data-level=relevance] rect[data-series=outside]').count() > 0);
      const months = () => page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'report').map((c) => c.args.filter));
      await page.getByTestId('from').fill('2026-01-01');
      await page.getByTestId('to').fill('2026-03-31');
      await page.getByTestId('show').click();
      await page.locator('[data-level=personal]').getByText('2026-03', { exact: false }).count();
      assert.deepEqual((await months()).at(-1), { from: '2026-01-01', to: '2026-03-31', branch: null, staff: null, partner_kind: null });
      await page.getByTestId('from').fill('2026-05-01');
      await page.getByTestId('show').click();
      await page.getByRole('alert').getByText('after it ends').waitFor();
      await page.locator('[data-preset=lastYear]').click();
      await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
      assert.equal((await months()).at(-1).from.slice(5), '01-01');

      if (process.env.UPDATE_SCREENSHOTS && size.name.startsWith('tablet')) {
        await page.locator('[data-preset=last12]').click();
        await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
        const shot = (n) => fileURLToPath(new URL(`../../../docs/screenshots/${size.name}/${n}.png`, import.meta.url));
        await page.screenshot({ path: shot('10-effects') });
        await page.locator('[data-level=relevance]').scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('11-effects-relevance-visibility') });
      }

      await page.getByTestId('format').selectOption('csv');
      await page.getByTestId('do-export').click();
      await page.getByTestId('exported').getByText('samskap-effects').waitFor();
      const opts = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'save_export').at(-1).args);
      assert.equal(opts.options.format, 'csv');
      assert.equal(opts.options.what, 'report');
      assert.equal(opts.options.separator, 59, 'Norwegian Excel wants ;');
      // Import and export through the system dialog: see import-export.test.mjs.
      assert.deepEqual(errors, []);
      await close();
    });

    it('sync: conflicts are chosen side by side', async () => {
      const { page, errors, close } = await open(size, '#/sync', 'conflicts');
      const card = page.locator('[data-conflict]');
      await card.waitFor();
      await usable(page, size);
      await card.getByText('+47 789 55 999').click();
      await card.getByRole('button', { name: 'Behold de valgte versjonene' }).click();
      await page.getByTestId('no-conflicts').waitFor();
      const sent = await page.evaluate(() => window.__fake.calls.find((c) => c.cmd === 'resolve_conflicts').args.choices);
      assert.deepEqual(sent, [{ field: 'phone', value: '+47 789 55 999' }, { field: 'place', value: 'Vadsø' }]);
      assert.deepEqual(errors, []);
      await close();
    });

    it('sync: pending changes, hosting with QR, joining a session with progress, peers, hub, bundles', async () => {
      const { page, errors, close } = await open(size, '#/sync');
      await page.getByTestId('pending').getByText('2 poster er ikke delt ennå').waitFor();
      await page.getByText('Ingen enheter møtt ennå.').waitFor();
      await usable(page, size);

      await page.getByTestId('lan-host').click();
      await page.getByTestId('lan-qr').locator('svg').waitFor();
      assert.equal(await page.getByTestId('lan-url').innerText(), 'http://192.168.43.17:41873');
      assert.equal(await page.getByTestId('lan-invite').innerText(), 'QRST-VWXY-2345');
      // The address is read aloud and typed over: one line, never broken inside its numbers.
      assert.equal(await page.getByTestId('lan-url').evaluate((el) => el.getClientRects().length), 1, `address on one line at ${size.name}`);
      await usable(page, size);
      await page.getByTestId('lan-stop').click();
      await page.getByTestId('lan-host').waitFor();

      // A pasted join link fills address and code; a wrong code is explained in plain words.
      await page.getByLabel('Adresse').nth(1).fill('samskap:join?url=http://192.168.43.17:41873&invite=WRONG-CODE');
      assert.equal(await page.getByLabel('Adresse').nth(1).inputValue(), 'http://192.168.43.17:41873');
      assert.equal(await page.getByLabel('Invitasjonskode').nth(1).inputValue(), 'WRONG-CODE');
      await page.getByTestId('lan-join').click();
      await page.getByTestId('lan-result').getByText('Invitasjonskoden er feil').waitFor();

      await page.getByLabel('Invitasjonskode').nth(1).fill('ABCD-EFGH-JKLM');
      await page.getByTestId('lan-join').click();
      await page.getByTestId('sync-progress').getByText('Synkroniserer … 1 runder').waitFor();
      await page.getByTestId('lan-result').getByText('Synkronisert: sendte 3 endringer, mottok 52 (15 poster oppdatert).').waitFor();
      await page.getByText('Alt er sendt').waitFor();
      await page.locator('[data-peer]').getByText('http://192.168.43.17:41873').waitFor();
      assert.match(await page.locator('[data-peer]').innerText(), /sist sett 17\. mai 2026/);

      await page.getByTestId('lan-discover').click();
      await page.getByTestId('lan-found').getByText('Finnmark').waitFor();
      await usable(page, size);

      await page.getByLabel('Adresse').first().fill('https://hub.example.no');
      await page.getByLabel('Invitasjonskode').first().fill('ABCD-EFGH-JKLM');
      await page.getByRole('button', { name: 'Bli med', exact: true }).click();
      await page.getByTestId('join-result').getByText('Med i «Finnmark».').waitFor();
      await page.getByTestId('sync-hub').click();
      await page.getByTestId('hub-result').getByText('Synkronisert').waitFor();

      await page.getByTestId('bundle-import').click();
      await page.getByTestId('import-progress').waitFor();
      await page.getByTestId('bundle-result').getByText('Importerte 8\u00a0123 nye endringer i 8\u00a0000 poster.').waitFor();
      await page.getByTestId('bundle-export').click();
      await page.getByTestId('bundle-result').getByText('Pakkefilen er lagret (48\u00a0213 byte).').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('sync: an unreachable peer is explained in plain words', async () => {
      const { page, errors, close } = await open(size, '#/sync', 'sync-error');
      await page.getByLabel('Adresse').nth(1).fill('http://192.168.43.99:41873');
      await page.getByTestId('lan-join').click();
      await page.getByTestId('lan-result').getByText('Fikk ikke kontakt med den andre enheten eller huben.').waitFor();
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('encounter details: every field, edit, delete with undo', async () => {
      const { page, errors, close } = await open(size, '#/timeline');
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      await page.locator('[data-encounter]').first().click();
      const details = page.getByTestId('encounter-details');
      await details.waitFor();
      assert.match(await details.innerText(), /Vadsø torg · Utenfor biblioteket/);
      assert.match(await details.innerText(), /Vil starte strikkekafé på biblioteket/);
      assert.match(await details.innerText(), /Ingrid Haugen/);
      assert.match(await details.innerText(), /Vadsø husflidslag/);
      assert.match(await details.innerText(), /Sjekk nøkler/);
      const history = page.locator('[data-testid=history][data-loaded=yes]');
      await history.waitFor();
      const created = history.locator('[data-history-entry=created]');
      assert.equal(await created.count(), 1);
      assert.match(await created.innerText(), /Ingrid Haugen[\s\S]*opprettet posten[\s\S]*denne enheten/);
      await usable(page, size);

      await page.getByTestId('edit').click();
      await page.getByTestId('encounter-edit').waitFor();
      await usable(page, size);
      await page.getByLabel('Sted').fill('Čáhcesuolu skole');
      await page.getByLabel('Idé eller initiativ').fill('Lesekveld');
      await page.getByRole('button', { name: 'Ny aktivitet' }).click();
      await page.getByTestId('save-edit').click();
      await details.getByText('Čáhcesuolu skole').waitFor();
      assert.match(await details.innerText(), /Lesekveld/);
      assert.match(await details.innerText(), /Ny aktivitet/);
      const latest = history.locator('[data-history-entry]').first();
      await latest.getByText('endret idé, resultater og sted').waitFor();
      assert.match(await latest.innerText(), /Ingrid Haugen[\s\S]*nå[\s\S]*denne enheten/);

      await page.getByTestId('delete').click();
      await page.getByTestId('deleted').waitFor();
      await page.getByTestId('undo').click();
      await details.getByText('Čáhcesuolu skole').waitFor();
      await history.locator('[data-history-entry]').first().getByText('hentet posten tilbake').waitFor();
      assert.deepEqual(
        await history.locator('[data-history-entry]').evaluateAll((els) => els.map((e) => e.dataset.historyEntry)),
        ['restored', 'deleted', 'edited', 'created'],
      );
      await page.getByRole('link', { name: /Tilbake/ }).click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      assert.match(await page.locator('[data-encounter]').first().innerText(), /Čáhcesuolu skole/);
      const cmds = await page.evaluate(() => window.__fake.calls.map((c) => c.cmd));
      for (const c of ['update_encounter', 'delete_record', 'restore_record', 'record_history']) assert.ok(cmds.includes(c), c);
      assert.deepEqual(errors, []);
      await close();
    });

    it('settings: language switches every string and is saved; hub errors show their message', async () => {
      const { page, errors, close } = await open(size, '#/settings');
      await page.getByRole('heading', { name: 'Innstillinger' }).waitFor();
      await usable(page, size);
      await page.locator('[data-language=en]').click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      assert.equal(await page.locator('[data-nav=timeline]').innerText(), 'Timeline');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.locator('[data-language=da]').click();
      await page.getByRole('heading', { name: 'Indstillinger' }).waitFor();
      const saved = await page.evaluate(() => window.__fake.calls.filter((c) => c.cmd === 'save_settings').map((c) => c.args.settings.language));
      assert.deepEqual(saved, ['en', 'da']);
      await page.getByLabel('Hub-adresse').fill('http://hub.example.no');
      await page.getByRole('button', { name: 'Gem hub-adressen' }).click();
      await page.getByText('is not a hub address').waitFor();
      await page.locator('[data-nav=timeline]').click();
      await page.locator('[data-screen=timeline][data-loaded=yes]').waitFor();
      assert.match(await page.locator('[data-encounter]').first().innerText(), /maj 2026/);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
