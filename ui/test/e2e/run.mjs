// Real-window E2E: the real binary, a real temporary store, a real window.
// Logs an encounter through the quick-log screen, restarts the app and finds
// it in the timeline; changes the language and sees it kept; two instances
// on two store folders sync through a LAN session hosted in one of them;
// saves a screenshot of every screen at every size into docs/screenshots/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, SECOND_PORT, click, launch, nav, quit, startDriver, stopDriver, text, type, waitFor, waitText, withApp } from './driver.mjs';

const SHOTS = process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
const SIZES = [
  ['tablet-landscape', '1280x800'],
  ['tablet-portrait', '800x1280'],
  ['phone', '390x844'],
];
const dirs = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'samskap-e2e-'));
  dirs.push(d);
  return d;
};

before(() => startDriver());
after(async () => {
  await stopDriver();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the real app', () => {
  const dir = tempDir();
  const note = 'Vil starte strikkekafé i Kárášjohka – Áilá ja Máret';

  it('creates a store, logs an encounter through the quick log, and finds it in the timeline after a restart', async () => {
    await withApp(dir, '1280x800', async (b) => {
    await waitFor(b, '#w-staff');
    await type(b, '#w-staff', 'Ingrid Haugen');
    await type(b, '#w-branch', 'Vadsø');
    await type(b, '#w-ws', 'Finnmark');
    await click(b, 'form button.primary');
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await click(b, '[data-perspective=co-creative]');
    await click(b, '[data-counterpart=association]');
    await type(b, '[data-testid=partner-search]', 'Kárášjoga searvi');
    await click(b, '[data-testid=create-partner]');
    await waitFor(b, '[data-picked-new]');
    await type(b, '#ql-place', 'Kárášjohka torg');
    await click(b, '[data-testid=outside]');
    await type(b, '#ql-note', note);
    await type(b, '#ql-tags', 'strikking marked');
    await click(b, '[data-testid=save]');
    await waitText(b, '[data-testid=latest]', note);
    });

    await withApp(dir, '1280x800', async (b) => {
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await click(b, '[data-nav=timeline]');
    await waitFor(b, '[data-screen=timeline][data-loaded=yes]');
    await type(b, '[data-testid=timeline-search]', 'strikkekafé');
    await waitText(b, '[data-testid=timeline]', note);
    const row = await (await b.$('[data-testid=timeline] > li')).getText();
    assert.match(row, /Kárášjohka torg/);
    assert.match(row, /Utenfor biblioteket/);
    assert.match(row, /Ingrid Haugen/);
    assert.equal((await b.$$('[data-testid=timeline] > li')).length, 1);
    });
  });

  it('changes the language, and keeps the choice after a restart', async () => {
    await withApp(dir, '1280x800', async (b) => {
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    assert.equal(await (await b.$('[data-nav=timeline]')).getText(), 'Tidslinje');
    await nav(b, 'settings');
    await click(b, '[data-language=en]');
    await waitText(b, '[data-nav=timeline]', 'Timeline');
    });

    await withApp(dir, '1280x800', async (b) => {
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    assert.equal(await (await b.$('[data-nav=timeline]')).getText(), 'Timeline');
    assert.equal(await (await b.$('h1')).getText(), 'Log an encounter');
    await nav(b, 'settings');
    await click(b, '[data-language=da]');
    await waitText(b, '[data-nav=settings]', 'Indstillinger');
    await click(b, '[data-nav=timeline]');
    await waitText(b, '[data-testid=timeline]', 'Uden for biblioteket');
    });
  });
});

describe('field work in the real app', () => {
  const dir = tempDir();
  const popupNote = (i) => `Pop-up-møte ${i} på Vadsø torg`;

  it('pop-up mode: five encounters in a row, then the summary', async () => {
    await withApp(dir, '800x1280', async (b) => {
      await waitFor(b, '#w-staff');
      await type(b, '#w-staff', 'Ingrid Haugen');
      await type(b, '#w-branch', 'Vadsø');
      await type(b, '#w-ws', 'Finnmark');
      await click(b, 'form button.primary');
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await click(b, '[data-testid=popup-open]');
      await type(b, '#pp-place', 'Vadsø torg');
      await click(b, '[data-testid=popup-start]');
      await waitFor(b, '[data-testid=popup-count]');
      const started = performance.now();
      const who = ['citizen', 'citizen', 'association', 'citizen', 'school'];
      for (let i = 0; i < 5; i++) {
        await click(b, `[data-perspective=${i % 2 ? 'service' : 'co-creative'}]`);
        await click(b, `[data-counterpart=${who[i]}]`);
        await click(b, '[data-testid=popup-save]');
        await waitText(b, '[data-testid=popup-count]', `${i + 1} logget`);
      }
      const fiveMs = performance.now() - started;
      console.log(`pop-up mode: five encounters, three taps each, in ${Math.round(fiveMs)} ms`);
      await click(b, '[data-testid=popup-end]');
      await waitText(b, '[data-testid=popup-summary]', '5 møter på Vadsø torg');
      const summary = await text(b, '[data-testid=popup-summary]');
      assert.match(summary, /Samskapende\s*3/); // WebKit gives table cells without a space between
      assert.match(summary, /Innbygger\s*3/);
      await click(b, '[data-testid=popup-finish]');
      await click(b, '[data-nav=timeline]');
      await waitFor(b, '[data-screen=timeline][data-loaded=yes]');
      await b.waitUntil(async () => (await b.$$('[data-testid=timeline] > li')).length === 5, { timeout: 10000 });
    });
  });

  it('undo after save takes the encounter back', async () => {
    await withApp(dir, '1280x800', async (b) => {
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await click(b, '[data-perspective=professional]');
      await click(b, '[data-counterpart=school]');
      await type(b, '#ql-note', 'Angres: feil skole');
      await click(b, '[data-testid=save]');
      await waitText(b, '[data-testid=latest]', 'Angres: feil skole');
      await click(b, '[data-testid=undo]');
      await b.waitUntil(async () => !(await text(b, '[data-testid=latest]')).includes('Angres: feil skole'), { timeout: 10000 });
      await click(b, '[data-nav=timeline]');
      await waitFor(b, '[data-screen=timeline][data-loaded=yes]');
      await type(b, '[data-testid=timeline-search]', 'Angres');
      await waitText(b, '[data-screen=timeline]', 'Ingen møter');
    });
  });

  it('a half-filled quick log survives a restart', async () => {
    await withApp(dir, '390x844', async (b) => {
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await click(b, '[data-perspective=authority]');
      await type(b, '#ql-note', 'Halvferdig: nøkkel til møterommet');
      await sleep(1000); // the draft is written a moment after typing stops
    });
    await withApp(dir, '390x844', async (b) => {
      await waitFor(b, '[data-testid=draft-restored]');
      assert.equal(await (await b.$('#ql-note')).getValue(), 'Halvferdig: nøkkel til møterommet');
      assert.equal(await (await b.$('[data-perspective=authority]')).getAttribute('aria-pressed'), 'true');
    });
  });
});

describe('two instances sync through a LAN session hosted in one of them', () => {
  const [dirA, dirB] = [tempDir(), tempDir()];
  const note = `Bokbytte i Čáhcesuolu ${Date.now()}`;
  before(() => startDriver(SECOND_PORT));
  after(() => stopDriver(SECOND_PORT));

  const welcome = async (b, staff, branch, ws) => {
    await waitFor(b, '#w-staff');
    await type(b, '#w-staff', staff);
    await type(b, '#w-branch', branch);
    await type(b, '#w-ws', ws);
    await click(b, 'form button.primary');
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
  };

  it('A hosts, B joins with the shown address and invite, A logs an encounter, B syncs and sees it', async () => {
    const a = await launch(dirA, '1280x800');
    let b;
    try {
      await welcome(a, 'Ingrid Haugen', 'Vadsø', 'Finnmark');
      await nav(a, 'sync');
      await click(a, '[data-testid=lan-host]');
      await waitFor(a, '[data-testid=lan-qr] svg');
      const url = await text(a, '[data-testid=lan-url]');
      const invite = await text(a, '[data-testid=lan-invite]');
      assert.match(url, /^http:\/\/[\d.]+:\d+$/);
      assert.match(invite, /\S{6,}/);

      b = await launch(dirB, '800x1280', SECOND_PORT);
      await welcome(b, 'Máret Ánte Sara', 'Kárášjohka', 'Kárášjohka');
      await nav(b, 'sync');
      await type(b, '#l-url', url);
      await type(b, '#l-invite', invite);
      await click(b, '[data-testid=lan-join]');
      await waitText(b, '[data-testid=lan-result]', 'Synkronisert', 30000);
      await waitText(b, '[data-testid=peers]', url);
      await waitText(b, '[data-testid=sync-status]', 'Finnmark');

      await click(a, '[data-nav=log]');
      await waitFor(a, '[data-screen=log][data-interactive=yes]');
      await click(a, '[data-perspective=co-creative]');
      await click(a, '[data-counterpart=citizen]');
      await type(a, '#ql-place', 'Čáhcesuolu');
      await type(a, '#ql-note', note);
      await click(a, '[data-testid=save]');
      await waitText(a, '[data-testid=latest]', note);

      // B is a member now: syncing again needs only the address.
      await click(b, '[data-nav=timeline]');
      await nav(b, 'sync');
      await type(b, '#l-url', url);
      await click(b, '[data-testid=lan-join]');
      await waitText(b, '[data-testid=lan-result]', 'Synkronisert', 30000);
      assert.match(await text(b, '[data-testid=lan-result]'), /mottok [1-9]/);
      await waitText(b, '[data-testid=pending]', 'Alt er sendt');
      await click(b, '[data-nav=timeline]');
      await waitFor(b, '[data-screen=timeline][data-loaded=yes]');
      await waitText(b, '[data-testid=timeline]', note);
      await waitText(b, '[data-testid=timeline]', 'Ingrid Haugen');

      // The host saw B, and has B's profile too.
      await nav(a, 'sync');
      await waitFor(a, '[data-peer]');
      await click(a, '[data-testid=lan-stop]');
      await waitFor(a, '[data-testid=lan-host]');
    } finally {
      if (b) await quit(b);
      await quit(a);
    }
  });
});

describe('partners edited, merged and erased in A reach B over a LAN session', () => {
  const [dirA, dirB] = [tempDir(), tempDir()];
  const cli = (dir, args) => execFileSync(CLI, ['--data', dir, ...args]).toString().trim();
  let a;
  let b;
  let url;
  let kept;
  let dup;
  before(async () => {
    if (!CLI) throw new Error('set SAMSKAP_CLI_BIN to the samskap command line');
    await startDriver(SECOND_PORT);
    cli(dirA, ['init', '--staff', 'Ingrid Haugen', '--branch', 'Vadsø', '--workspace-name', 'Finnmark']);
    kept = cli(dirA, ['partner', 'add', '--name', 'Vadsø husflidslag', '--kind', 'association', '--contact', 'Áslat Somby;kasserer;+47 915 37 204']);
    dup = cli(dirA, ['partner', 'add', '--name', 'Husflidslaget i Vadsø', '--kind', 'association']);
    for (const [p, place] of [[kept, 'Vadsø torg'], [dup, 'Biblioteket']]) {
      cli(dirA, ['encounter', 'add', '--perspective', 'co-creative', '--counterpart', 'association', '--partner', p, '--place', place]);
    }
    a = await launch(dirA, '1280x800');
    await waitFor(a, '[data-screen=log][data-interactive=yes]');
    await nav(a, 'sync');
    await click(a, '[data-testid=lan-host]');
    await waitFor(a, '[data-testid=lan-qr] svg');
    url = await text(a, '[data-testid=lan-url]');
    const invite = await text(a, '[data-testid=lan-invite]');
    b = await launch(dirB, '800x1280', SECOND_PORT);
    await waitFor(b, '#w-staff');
    await type(b, '#w-staff', 'Máret Ánte Sara');
    await type(b, '#w-branch', 'Kárášjohka');
    await type(b, '#w-ws', 'Finnmark');
    await click(b, 'form button.primary');
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await nav(b, 'sync');
    await type(b, '#l-url', url);
    await type(b, '#l-invite', invite);
    await click(b, '[data-testid=lan-join]');
    await waitText(b, '[data-testid=lan-result]', 'Synkronisert', 30000);
  });
  after(async () => {
    if (b) await quit(b);
    if (a) await quit(a);
    await stopDriver(SECOND_PORT);
  });

  const openPartner = async (app, id) => {
    await click(app, '[data-nav=partners]');
    await waitFor(app, '[data-screen=partners][data-loaded=yes]');
    await click(app, `[data-partner="${id}"]`);
    await waitFor(app, '[data-screen=partner][data-loaded=yes]');
  };
  const syncB = async () => {
    await click(b, '[data-nav=timeline]');
    await nav(b, 'sync');
    await type(b, '#l-url', url);
    await click(b, '[data-testid=lan-join]');
    await waitText(b, '[data-testid=lan-result]', 'Synkronisert', 30000);
  };

  it("edits the partner's phone in A, and B sees it after syncing", async () => {
    await openPartner(a, kept);
    await click(a, '[data-testid=edit-partner]');
    await type(a, '#pe-phone', '+47 78 95 00 00');
    await click(a, '[data-testid=partner-save]');
    await waitFor(a, 'a[data-tel="+47 78 95 00 00"]');
    await syncB();
    await openPartner(b, kept);
    await waitFor(b, 'a[data-tel="+47 78 95 00 00"]');
    assert.equal(await (await b.$('a[data-tel="+47 78 95 00 00"]')).getAttribute('href'), 'tel:+4778950000');
  });

  it('merges two partners in A, and B sees one partner with both encounters', async () => {
    await openPartner(a, kept);
    await click(a, '[data-testid=merge-open]');
    await type(a, '[data-testid=merge-search]', 'Husflidslaget');
    await click(a, `[data-merge-candidate="${dup}"]`);
    await waitText(a, '[data-testid=merge-moves]', '1 møte,');
    await click(a, '[data-testid=merge-confirm]');
    await waitFor(a, `[data-merged="${dup}"]`);
    await syncB();
    await click(b, '[data-nav=partners]');
    await waitFor(b, '[data-screen=partners][data-loaded=yes]');
    await waitText(b, '[data-testid=partner-count]', '1 av 1');
    await openPartner(b, kept);
    await b.waitUntil(async () => (await b.$$('[data-testid=partner-encounters] > li [data-encounter]')).length === 2, {
      timeout: 10000, timeoutMsg: 'both encounters did not show on the kept partner',
    });
    await waitText(b, `[data-merged="${dup}"]`, 'Husflidslaget i Vadsø');
  });

  it('erases a contact person in A, and it is gone in B', async () => {
    await openPartner(a, kept);
    await waitText(a, '[data-screen=partner]', 'Áslat Somby');
    await click(a, '[data-testid=erase-contact]');
    await type(a, '[data-testid=erase-name]', 'Áslat Somby');
    await click(a, '[data-testid=erase-confirm]');
    await waitText(a, 'p.banner[role=status]', 'Áslat Somby');
    await openPartner(b, kept);
    await waitText(b, '[data-screen=partner]', 'Áslat Somby');
    await syncB();
    await openPartner(b, kept);
    await waitText(b, '[data-screen=partner]', 'Ingen kontaktpersoner ennå.');
    assert.ok(!(await text(b, '[data-screen=partner]')).includes('Áslat Somby'), 'the erased contact is gone in B');
  });
});

describe('screenshots of every screen at every size', () => {
  const dir = tempDir();
  before(() => {
    if (!CLI) throw new Error('set SAMSKAP_CLI_BIN to the samskap command line');
    execFileSync(CLI, ['--data', dir, 'init', '--staff', 'Ingrid Haugen', '--branch', 'Vadsø', '--workspace-name', 'Finnmark']);
    execFileSync(CLI, ['--data', dir, 'demo', '--records', '2000'], { stdio: 'ignore' });
  });

  for (const [name, size] of SIZES) {
    it(`${name} (${size})`, async () => {
      const out = join(SHOTS, name);
      mkdirSync(out, { recursive: true });
      await withApp(dir, size, async (b) => {
      const shot = async (n, screen) => {
        await sleep(400); // let the last frame paint
        await b.saveScreenshot(join(out, `${n}-${screen}.png`));
      };
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await click(b, '[data-perspective=co-creative]');
      await click(b, '[data-counterpart=citizen]');
      await shot(1, 'quick-log');
      await click(b, '[data-nav=timeline]');
      await waitFor(b, '[data-screen=timeline][data-loaded=yes]');
      await shot(2, 'timeline');
      await click(b, '[data-testid=timeline] [data-encounter]');
      await waitFor(b, '[data-testid=encounter-details]');
      await shot(3, 'encounter');
      await click(b, '[data-nav=partners]');
      await waitFor(b, '[data-screen=partners][data-loaded=yes]');
      await shot(4, 'partners');
      await click(b, '[data-testid=partners] a');
      await waitFor(b, '[data-screen=partner] figure[data-level]');
      await shot(5, 'partner');
      await nav(b, 'activities');
      await waitFor(b, '[data-screen=activities][data-loaded=yes]');
      await shot(6, 'activities');
      await nav(b, 'sync');
      await waitFor(b, '[data-testid=no-conflicts]', 60000);
      await waitFor(b, '[data-testid=pending]');
      await shot(7, 'sync');
      await click(b, '[data-testid=lan-host]');
      const qr = await waitFor(b, '[data-testid=lan-qr] svg');
      await b.execute(() => document.querySelector('[data-testid=lan-card]').scrollIntoView({ block: 'start' }));
      await qr.waitForDisplayed();
      await shot(8, 'sync-lan-session');
      await click(b, '[data-testid=lan-stop]');
      await nav(b, 'settings');
      await waitFor(b, '[data-screen=settings]');
      await shot(9, 'settings');
      await nav(b, 'effects');
      await waitFor(b, '[data-screen=effects][data-loaded=yes]', 60000);
      await shot(10, 'effects');
      // Field work: the quick log's guide, pop-up mode and its summary, the outdoor theme.
      await click(b, '[data-nav=log]');
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await click(b, '[data-guide=perspective]');
      await waitFor(b, '[data-guide-panel=perspective]');
      await shot(20, 'quick-log-guide');
      await click(b, '[data-testid=popup-open]');
      await type(b, '#pp-place', 'Vadsø torg');
      await click(b, '[data-testid=popup-start]');
      await click(b, '[data-perspective=co-creative]');
      await click(b, '[data-counterpart=citizen]');
      await shot(21, 'popup');
      await click(b, '[data-testid=popup-save]');
      await waitText(b, '[data-testid=popup-count]', '1 logget');
      await click(b, '[data-testid=popup-end]');
      await waitFor(b, '[data-testid=popup-summary]');
      await shot(22, 'popup-summary');
      await click(b, '[data-testid=popup-finish]');
      await nav(b, 'settings');
      await click(b, '[data-testid=outdoor]');
      await waitFor(b, 'html[data-theme=outdoor]');
      await click(b, '[data-nav=log]');
      await waitFor(b, '[data-screen=log][data-interactive=yes]');
      await shot(23, 'quick-log-outdoor');
      await nav(b, 'settings');
      await click(b, '[data-testid=outdoor]');
      await waitFor(b, 'html[data-theme=indoor]');
      const { width, height } = await b.execute(() => ({ width: window.innerWidth, height: window.innerHeight }));
      assert.equal(`${width}x${height}`, size, 'the window has the asked size');
      });
    });
  }
});

describe('follow-ups and activities in the real app', () => {
  const dir = tempDir();
  const cli = (...args) => execFileSync(CLI, ['--data', dir, ...args], { encoding: 'utf8' }).trim();
  let encounter;
  before(() => {
    if (!CLI) throw new Error('set SAMSKAP_CLI_BIN to the samskap command line');
    cli('init', '--staff', 'Ingrid Haugen', '--branch', 'Vadsø', '--workspace-name', 'Finnmark');
    encounter = cli('encounter', 'add', '--perspective', 'co-creative', '--counterpart', 'association', '--place', 'Kárášjohka torg',
      '--idea', 'Strikkekafé på torget', '--follow-up', 'Ring Máret om nøklene;2026-01-05', '--follow-up', 'Bestill garn').split(/\s+/).at(-1);
  });

  it('an overdue follow-up shows on the home screen, is marked done on the follow-ups screen, and stays done', async () => {
    await withApp(dir, '1280x800', async (b) => {
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await waitText(b, '[data-testid=overdue-banner]', 'Du har 1 forfalt oppfølging');
    await click(b, '[data-testid=overdue-banner]');
    await waitFor(b, '[data-screen=followups][data-loaded=yes]');
    await waitText(b, '[data-testid=followups]', 'Ring Máret om nøklene');
    const rows = await b.$$('[data-testid=followups] [data-follow-up]');
    assert.equal(rows.length, 2);
    assert.match(await rows[0].getText(), /Forfalt[\s\S]*Ring Máret om nøklene|Ring Máret om nøklene[\s\S]*Forfalt/);
    await click(b, '[data-testid=followups] [data-overdue=yes] [data-testid=mark-done]');
    await waitText(b, '[data-testid=followups-note]', 'Merket som gjort: Ring Máret om nøklene');
    assert.equal((await b.$$('[data-testid=followups] [data-follow-up]')).length, 1);
    await click(b, '[data-nav=log]');
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await sleep(500);
    assert.equal((await b.$$('[data-testid=overdue-banner]')).length, 0, 'nothing overdue any more');
    });
    // The edit is in the store (the app has closed it): done, and the other one still open.
    const shown = JSON.parse(cli('--json', 'encounter', 'show', encounter));
    const fu = Object.fromEntries(shown.follow_ups.map((f) => [f.text, f.done]));
    assert.deepEqual(fu, { 'Ring Máret om nøklene': true, 'Bestill garn': false });
  });

  it('an activity made of an encounter opens with the encounter as its origin, is edited, and is on the board', async () => {
    await withApp(dir, '800x1280', async (b) => {
    await waitFor(b, '[data-screen=log][data-interactive=yes]');
    await b.execute((id) => { location.hash = `#/encounters/${id}`; }, encounter);
    await waitFor(b, '[data-testid=encounter-details]');
    await click(b, '[data-testid=make-activity]');
    await waitFor(b, '[data-testid=activity-details]');
    assert.equal(await text(b, '[data-testid=activity-title]'), 'Strikkekafé på torget');
    await waitText(b, '[data-field=origins]', 'Kárášjohka torg');
    await click(b, '[data-testid=edit]');
    await waitFor(b, '[data-testid=activity-edit]');
    await click(b, '[data-status=planned]');
    await click(b, '[data-extra=no]');
    await click(b, '[data-testid=save-activity]');
    await waitText(b, '[data-field=status]', 'Planlagt');
    assert.equal(await text(b, '[data-field=extra]'), 'Nei');
    await nav(b, 'activities');
    await waitFor(b, '[data-screen=activities][data-loaded=yes]');
    await waitText(b, '[data-status=planned]', 'Strikkekafé på torget');
    });
  });
});
