// Importing partners and exporting through the system dialog (opened by
// Rust; the fake backend stands in for it), with the core's messages shown
// as they come, and a choice of meaning for every term Samskap does not know.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SIZES, open, usable } from './harness.mjs';

const callsOf = (page, cmd) => page.evaluate((c) => window.__fake.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

for (const size of SIZES) {
  describe(`at ${size.name} ${size.width}x${size.height}`, () => {
    it('import: a file from the dialog, its plan, a meaning for an unknown term, then the import', async () => {
      const { page, errors, close } = await open(size, '#/effects');
      await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
      assert.equal(await page.getByTestId('import-path').count(), 0, 'no typed path');

      // Cancelling the dialog changes nothing.
      await page.evaluate(() => window.__fake.pick(null));
      await page.getByTestId('choose-import').click();
      await page.waitForFunction(() => window.__fake.calls.some((c) => c.cmd === 'choose_partner_import'));
      assert.equal(await page.getByTestId('plan').count(), 0);

      await page.evaluate(() => window.__fake.pick('/home/bibliotek/partnere.csv'));
      await page.getByTestId('choose-import').click();
      const plan = page.getByTestId('plan');
      await plan.getByText('partnere.csv: xlsx (Partnere), overskrifter på rad 3').waitFor();
      await plan.getByText('3 nye partnere').waitFor();
      await plan.locator('[data-warn-line="9"]').getByText('der det skulle stått en bokstav').waitFor();
      await plan.locator('[data-bad-line="10"]').getByText('«Galleri» er ikke en partnertype').waitFor();
      await usable(page, size);

      // A meaning for the unknown term: planned again with the mapping, the row now imports.
      const term = plan.locator('[data-term=Galleri]');
      await term.getByText('«Galleri» (rad 10) betyr').waitFor();
      await term.locator('select').selectOption('business');
      await plan.getByText('4 nye partnere').waitFor();
      assert.equal(await plan.locator('[data-bad-line="10"]').count(), 0);
      const previews = await callsOf(page, 'preview_partner_import');
      assert.deepEqual(previews.at(-1), {
        path: '/home/bibliotek/partnere.csv',
        options: { sheet: null, maps: ['Galleri=business'], language: 'nb' },
      });

      await page.getByTestId('confirm-import').click();
      await page.getByTestId('imported').getByText('Importerte 4 partnere').waitFor();
      const imports = await callsOf(page, 'import_partners');
      assert.deepEqual(imports.at(-1).options.maps, ['Galleri=business'], 'the import uses the same mappings');

      // An unreadable file: the core's message, in the user's language.
      await page.evaluate(() => window.__fake.pick('/home/bibliotek/mangler.xlsx'));
      await page.getByTestId('choose-import').click();
      await page.getByRole('alert').getByText('kan ikke lese').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    it('export: saved where the dialog says, with the report options', async () => {
      const { page, errors, close } = await open(size, '#/effects');
      await page.locator('[data-screen=effects][data-loaded=yes]').waitFor();
      await page.getByTestId('format').selectOption('html');
      await page.getByTestId('per-staff').check();
      assert.equal(await page.getByTestId('slugs').count(), 0, 'slugs are for spreadsheets');
      await page.getByTestId('do-export').click();
      await page.getByTestId('exported').getByText('/home/bibliotek/Dokumenter/samskap-effects.html').waitFor();
      let opts = (await callsOf(page, 'save_export')).at(-1).options;
      assert.equal(opts.format, 'html');
      assert.equal(opts.per_staff, true);
      assert.equal(opts.language, 'nb');

      await page.getByTestId('format').selectOption('xlsx');
      await page.getByTestId('slugs').check();
      await page.getByTestId('do-export').click();
      await page.getByTestId('exported').getByText('samskap-effects.xlsx').waitFor();
      opts = (await callsOf(page, 'save_export')).at(-1).options;
      assert.equal(opts.slugs, true);
      await usable(page, size);

      // Cancelled: no message.
      await page.evaluate(() => window.__fake.pick(null));
      await page.getByTestId('format').selectOption('json');
      await page.getByTestId('do-export').click();
      await page.waitForFunction(() => window.__fake.calls.filter((c) => c.cmd === 'save_export').length === 3);
      assert.equal(await page.getByTestId('exported').count(), 0);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
