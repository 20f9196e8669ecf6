// Real-window sessions: tauri-driver + WebKitWebDriver driving the real
// app binary on a real store folder. Run under xvfb-run.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';
import { remote } from 'webdriverio';

export const APP = process.env.SAMSKAP_APP_BIN;
export const CLI = process.env.SAMSKAP_CLI_BIN;
const PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);

// One tauri-driver per port: two app instances at once need two drivers
// (each with its own WebKitWebDriver on port + 1).
const drivers = new Map();

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

/** The port of a second driver, for a second app instance. */
export const SECOND_PORT = PORT + 2;

export async function startDriver(port = PORT) {
  if (!APP) throw new Error('set SAMSKAP_APP_BIN to the absolute path of the app binary');
  const driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  drivers.set(port, driver);
  // tauri-driver listens at once; the WebKitWebDriver it starts (native port port+1) a moment later.
  for (let i = 0; i < 200 && !((await portOpen(port)) && (await portOpen(port + 1))); i++) await sleep(100);
}

/** SIGTERM, never SIGKILL: a killed tauri-driver orphans WebKitWebDriver and the next run hangs. */
export async function stopDriver(port = PORT) {
  const driver = drivers.get(port);
  drivers.delete(port);
  if (!driver || driver.exitCode !== null) return;
  const done = new Promise((r) => driver.once('exit', r));
  driver.kill('SIGTERM');
  await Promise.race([done, sleep(5000)]);
}

/** Starts the app on `dir` at `size` ("1280x800") through the driver on `port`; returns the WebDriver session. */
export async function launch(dir, size = '1280x800', port = PORT) {
  return remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryCount: 0,
    capabilities: {
      browserName: 'wry',
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: APP, args: ['--data', dir, '--window', size] },
    },
  });
}

/** Runs `f` with the app started on `dir`, and always closes the app after. */
export async function withApp(dir, size, f, port = PORT) {
  const b = await launch(dir, size, port);
  try {
    return await f(b);
  } finally {
    await quit(b);
  }
}

export async function quit(b) {
  try {
    await b.deleteSession();
  } catch {
    // the window may already be gone
  }
  await sleep(300);
}

export async function click(b, selector) {
  const el = await b.$(selector);
  await el.waitForClickable({ timeout: 10000 });
  await el.click();
}

export async function type(b, selector, text) {
  const el = await b.$(selector);
  await el.waitForDisplayed({ timeout: 10000 });
  await el.setValue(text);
}

export async function waitFor(b, selector, timeout = 20000) {
  const el = await b.$(selector);
  await el.waitForExist({ timeout });
  return el;
}

export async function text(b, selector) {
  return (await waitFor(b, selector)).getText();
}

export async function waitText(b, selector, text, timeout = 10000) {
  await b.waitUntil(async () => (await (await b.$(selector)).getText()).includes(text), {
    timeout,
    timeoutMsg: `"${text}" did not appear in ${selector}`,
  });
}

/** Goes to a screen by the navigation, as a person would: on a phone the last four sit behind "More". */
export async function nav(b, screen) {
  const link = await b.$(`[data-nav=${screen}]`);
  if (!(await link.isDisplayed())) await click(b, '[data-testid=nav-more]');
  await click(b, `[data-nav=${screen}]`);
}
