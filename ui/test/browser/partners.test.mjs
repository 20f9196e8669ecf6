// Browser tests of the partner workflows: edit every field, edit and remove
// items, merge a duplicate, erase a contact person or a partner (with its
// receipts), the paged list, and Settings' devices, retention and erasures.
// IPC mocked at the boundary (fake-backend.ts), at the three sizes.
// UPDATE_SCREENSHOTS=1 saves the new screens into docs/screenshots/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SIZES, open, usable } from './harness.mjs';

const sent = (page, cmd) => page.evaluate((c) => window.__fake.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);

async function shot(page, size, name) {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  await page.waitForTimeout(200);
  await page.screenshot({ path: fileURLToPath(new URL(`../../../docs/screenshots/${size.name}/${name}.png`, import.meta.url)) });
}

async function partnerPage(size, scenario = 'seeded', name = 'Vadsø husflidslag') {
  const o = await open(size, '#/partners', scenario);
  await o.page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
  await o.page.getByRole('link', { name: new RegExp(name) }).first().click();
  await o.page.locator('[data-screen=partner][data-loaded=yes]').waitFor();
  await o.page.getByRole('heading', { name, exact: true }).waitFor();
  return o;
}

for (const size of SIZES) {
  describe(`partners at ${size.name} ${size.width}x${size.height}`, () => {
    it('partner page: tap to call and mail, log an encounter here, last met', async () => {
      const { page, errors, close } = await partnerPage(size);
      await usable(page, size);
      const tel = page.locator('[data-contact=c1] a[href^="tel:"]');
      assert.equal(await tel.getAttribute('href'), 'tel:91500001');
      assert.equal(await page.locator('[data-contact=c1] a[href^="mailto:"]').getAttribute('href'), 'mailto:maret@example.no');
      await page.getByTestId('last-met').getByText(/Sist møtt/).waitFor();
      const log = page.getByTestId('log-with');
      assert.match(await log.getAttribute('href'), /^#\/log\?partner=0190f1f4-/);
      await log.click();
      await page.waitForFunction(() => location.hash.startsWith('#/log?partner='));
      assert.deepEqual(errors, []);
      await close();
    });

    it('edit: every field of the partner, and the phone becomes a link', async () => {
      const { page, errors, close } = await partnerPage(size);
      await page.getByTestId('edit-partner').click();
      const form = page.getByTestId('partner-edit');
      await form.waitFor();
      await usable(page, size);
      assert.equal(await form.getByLabel('Navn').inputValue(), 'Vadsø husflidslag');
      await form.getByLabel('Navn').fill('Vadsø husflidslag og venner');
      await form.getByLabel('Type').selectOption('volunteer-group');
      await form.getByLabel('Sted').fill('Čáhcesuolu');
      await form.getByLabel('Telefon').fill('+47 78 95 00 00');
      await form.getByLabel('E-post').fill('post@husflid.no');
      await form.getByLabel('Stikkord').fill('strikking, vev');
      await form.getByLabel('Felles notat').fill('Møtes tirsdager på biblioteket');
      await form.getByLabel(/Personlig notat/).fill('Leder ønsker kontakt på SMS');
      await shot(page, size, '12-partner-edit');
      await page.getByTestId('partner-save').click();
      await page.getByRole('heading', { name: 'Vadsø husflidslag og venner' }).waitFor();
      const [args] = await sent(page, 'update_partner');
      assert.deepEqual(args.edit, {
        name: 'Vadsø husflidslag og venner', kind: 'volunteer-group', place: 'Čáhcesuolu', phone: '+47 78 95 00 00',
        email: 'post@husflid.no', tags: 'strikking, vev', note: 'Møtes tirsdager på biblioteket', personal_note: 'Leder ønsker kontakt på SMS',
      });
      assert.equal(await page.locator('a[data-tel="+47 78 95 00 00"]').getAttribute('href'), 'tel:+4778950000');
      await page.getByText('Frivillig gruppe · Čáhcesuolu').or(page.getByText(/Čáhcesuolu/).first()).first().waitFor();
      // An empty name is refused with a clear message, and the form keeps what was typed.
      await page.getByTestId('edit-partner').click();
      await form.getByLabel('Navn').fill(' ');
      await page.getByTestId('partner-save').click();
      await page.getByRole('alert').getByText('name must not be empty').waitFor();
      assert.equal(await form.getByLabel('Telefon').inputValue(), '+47 78 95 00 00');
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('items: edit a contact, edit and remove an agreement and an evaluation', async () => {
      const { page, errors, close } = await partnerPage(size);
      await page.locator('[data-contact=c1]').getByRole('button', { name: 'Rediger' }).click();
      const c = page.getByTestId('contact-edit');
      await c.getByLabel('Telefon').fill('915 00 999');
      await c.getByRole('button', { name: 'Lagre' }).click();
      await page.locator('[data-contact=c1] a[data-tel="915 00 999"]').waitFor();
      await page.locator('[data-agreement=a1]').getByRole('button', { name: 'Rediger' }).click();
      const a = page.getByTestId('agreement-edit');
      await usable(page, size);
      await a.getByLabel('Roller').fill('Laget har veiledere, biblioteket rigger rommet');
      await a.getByRole('button', { name: 'Lagre' }).click();
      await page.getByText('Laget har veiledere, biblioteket rigger rommet').waitFor();
      assert.equal((await sent(page, 'update_agreement'))[0].edit.review_on, '2026-08-01', 'unchanged fields are sent as they were');
      await page.locator('[data-evaluation=e1]').getByRole('button', { name: 'Rediger' }).click();
      await page.getByTestId('evaluation-edit').getByRole('button', { name: 'I noen grad' }).click();
      await page.getByTestId('evaluation-edit').getByRole('button', { name: 'Lagre' }).click();
      await page.locator('[data-evaluation=e1]').getByText('I noen grad').waitFor();
      await page.locator('[data-evaluation=e1]').getByRole('button', { name: 'Fjern evalueringen' }).click();
      await usable(page, size);
      await page.getByTestId('remove-confirm').click();
      await page.getByText('Ingen evalueringer ennå.').waitFor();
      await page.locator('[data-agreement=a1]').getByRole('button', { name: 'Fjern avtalen' }).click();
      await page.getByRole('button', { name: 'Avbryt' }).click();
      assert.equal(await page.locator('[data-agreement=a1]').count(), 1, 'cancel keeps it');
      assert.deepEqual(errors, []);
      await close();
    });

    it('merge: search the duplicate, see what moves, confirm; it shows as merged', async () => {
      const { page, errors, close } = await partnerPage(size, 'duplicates');
      await page.getByTestId('merge-open').click();
      await page.getByTestId('merge-search').fill('Husflidslaget');
      await page.getByRole('option', { name: /Husflidslaget i Vadsø/ }).getByRole('button').click();
      const moves = page.getByTestId('merge-moves');
      await moves.waitFor();
      assert.match(await moves.innerText(), /Fra Husflidslaget i Vadsø til Vadsø husflidslag: 1 møte, 0 aktiviteter, 0 avtaler og 0 evalueringer\. 1 kontaktperson og 1 nivåendring/);
      await usable(page, size);
      await shot(page, size, '13-partner-merge');
      await page.getByTestId('merge-confirm').click();
      await page.locator('[data-merged]').getByText('Fra Husflidslaget i Vadsø (slått sammen)').waitFor();
      await page.locator('[data-merged] a[data-tel="915 37 204"]').waitFor();
      assert.deepEqual((await sent(page, 'merge_partners')).length, 1);
      await page.getByRole('link', { name: /Tilbake/ }).click();
      await page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
      await page.getByTestId('partner-count').getByText('3 av 3 partnere').waitFor();
      assert.equal(await page.getByRole('link', { name: /Husflidslaget i Vadsø/ }).count(), 0, 'the duplicate is hidden');
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });

    it('erase a contact person: type the name, it is gone', async () => {
      const { page, errors, close } = await partnerPage(size);
      await page.locator('[data-contact=c1]').getByTestId('erase-contact').click();
      const dialog = page.getByTestId('erase-dialog');
      await dialog.getByText(/kan ikke angres/).waitFor();
      const confirm = page.getByTestId('erase-confirm');
      assert.equal(await confirm.isDisabled(), true, 'erasure waits for the name');
      await page.getByTestId('erase-name').fill('Máret');
      assert.equal(await confirm.isDisabled(), true);
      await page.getByTestId('erase-name').fill('máret ánte sara');
      await usable(page, size);
      await confirm.click();
      await page.getByRole('status').getByText('Máret Ánte Sara er slettet på denne enheten.').waitFor();
      assert.equal(await page.locator('[data-contact=c1]').count(), 0);
      assert.deepEqual((await sent(page, 'erase_contact'))[0].contact, 'c1');
      assert.deepEqual(errors, []);
      await close();
    });

    it('erase a partner: two steps, then the receipts', async () => {
      const { page, errors, close } = await partnerPage(size);
      await page.getByTestId('erase-open').click();
      await page.getByTestId('erase-dialog').getByText(/alle enheter og huber/).waitFor();
      await page.getByTestId('erase-name').fill('Vadsø husflidslag');
      await shot(page, size, '14-partner-erase');
      await page.getByTestId('erase-confirm').click();
      await page.getByTestId('erased').waitFor();
      await page.getByTestId('receipts').getByText('Denne enheten').waitFor();
      await page.getByText(/neste gang de synkroniserer/).waitFor();
      await usable(page, size);
      await shot(page, size, '15-partner-erased');
      await page.getByRole('link', { name: 'Partnere' }).last().click();
      await page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
      assert.equal(await page.getByRole('link', { name: /Vadsø husflidslag/ }).count(), 0);
      assert.deepEqual(errors, []);
      await close();
    });

    it('the partner list pages through every partner with a count', async () => {
      const { page, errors, close } = await open(size, '#/partners', 'many-partners');
      await page.locator('[data-screen=partners][data-loaded=yes]').waitFor();
      await page.getByTestId('partner-count').getByText('50 av 133 partnere').waitFor();
      await usable(page, size);
      await page.getByTestId('more-partners').click();
      await page.getByTestId('partner-count').getByText('100 av 133 partnere').waitFor();
      await page.getByTestId('more-partners').click();
      await page.getByTestId('partner-count').getByText('133 av 133 partnere').waitFor();
      assert.equal(await page.getByTestId('more-partners').count(), 0, 'no more to show');
      assert.equal(await page.locator('[data-testid=partners] > li').count(), 133);
      const names = await page.locator('[data-testid=partners] > li strong').allInnerTexts();
      assert.equal(new Set(names).size, 133, 'no partner twice');
      assert.deepEqual(errors, []);
      await close();
    });

    it('settings: revoke a lost device, the retention period, erasures with receipts', async () => {
      const { page, errors, close } = await open(size, '#/settings');
      const devices = page.getByTestId('devices');
      await devices.getByText('Denne enheten').waitFor();
      await devices.getByText('Nils sitt nettbrett').waitFor();
      assert.equal(await devices.locator('[data-device="3f1c5a2e-0000-4000-8000-000000000001"] [data-testid=revoke]').count(), 0, 'this device cannot revoke itself');
      await usable(page, size);
      await devices.locator('[data-device="7b2d9e41-0000-4000-8000-000000000002"]').getByTestId('revoke').click();
      await devices.getByText(/kan ikke angres/).waitFor();
      await shot(page, size, '16-settings-devices');
      await page.getByTestId('revoke-confirm').click();
      await devices.locator('[data-device="7b2d9e41-0000-4000-8000-000000000002"]').getByText('Trukket tilbake').waitFor();
      assert.deepEqual(await sent(page, 'revoke_device'), [{ device: '7b2d9e41-0000-4000-8000-000000000002' }]);
      const months = page.getByLabel('Måneder');
      assert.equal(await months.inputValue(), '24');
      await months.fill('0');
      assert.equal(await months.evaluate((el) => el.validity.valid), false, 'zero months is refused before it is sent');
      await page.getByRole('button', { name: 'Lagre perioden' }).click();
      assert.equal((await sent(page, 'set_retention_months')).length, 0);
      await months.fill('36');
      await page.getByRole('button', { name: 'Lagre perioden' }).click();
      await page.getByRole('status').getByText('Lagret').waitFor();
      assert.deepEqual((await sent(page, 'set_retention_months')).at(-1), { months: 36 });
      await page.getByTestId('erasures').getByText('Ingenting er slettet.').waitFor();
      await usable(page, size);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
