// The end-to-end harness: a real `gatehouse serve --demo` on a fresh SQLite
// file and a free loopback port, and Debian's Chromium driven by
// playwright-core. Scenario files import this and use the helpers below.
//
// Environment: GATEHOUSE_BIN (the gatehouse binary; default
// ../build/dev/src/cli/gatehouse), GATEHOUSE_E2E_OUT (where screenshots go;
// default ../build/e2e), GATEHOUSE_WEB_DIST (the built app; default web/dist),
// CHROMIUM (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const root = resolve(here, '..', '..');

export const PASSWORD = 'demo-password-1';
export const out = resolve(process.env.GATEHOUSE_E2E_OUT || join(root, 'build', 'e2e'));
const bin = resolve(process.env.GATEHOUSE_BIN || join(root, 'build', 'dev', 'src', 'cli', 'gatehouse'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let server = null;
const openPages = [];
let workdir = null;
export let base = '';
export let browser = null;

export async function start() {
  mkdirSync(out, { recursive: true });
  workdir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  server = spawn(
    bin,
    ['serve', '--demo', '--db', join(workdir, 'e2e.db'), '--listen', '127.0.0.1:0', '--web', process.env.GATEHOUSE_WEB_DIST || join(root, 'web', 'dist'), '--sweep-seconds', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stderr.on('data', (d) => (log += d));
  base = await new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`gatehouse serve did not start in 120 s:\n${text}${log}`)), 120000);
    server.stdout.on('data', (d) => {
      text += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (m && text.includes('Stop with')) {
        clearTimeout(timer);
        ok(`http://127.0.0.1:${m[1]}`);
      }
    });
    server.on('exit', (code) => fail(new Error(`gatehouse serve exited (${code}):\n${text}${log}`)));
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function stop() {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (workdir) rmSync(workdir, { recursive: true, force: true });
}

// A browser page signed in as `username` (through the sign-in form, as a
// person would). viewport: 'desktop' (1280x900) or 'phone' (390x844).
export async function signIn(username, { viewport = 'desktop' } = {}) {
  const size = viewport === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 900 };
  const context = await browser.newContext({ viewport: size, baseURL: base, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  openPages.push(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.jsErrors = errors;
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await settled(page);
  return page;
}

// Opens an address of the app and waits for its heading.
export async function open(page, hash, heading) {
  await rendering(page, new URL('/' + hash, base).href);
  await page.goto('/' + hash);
  if (heading) await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  await settled(page, (hash || '#/').split('?')[0]);
}

// Before an action that takes the app to `url` (a full address, or a hash):
// clears main's data-shown unless the app is there already, so that settled
// waits for the page the action starts rather than passing on the one main
// still shows. Needed where the new address names the same page (#/ after
// the bare /, #/cases?mine=true after #/cases): the hash changes at once, but
// the app starts on it in a later task, and until then main still carries
// data-shown for that page. Where the address does not change, nothing
// renders again and main keeps its data-shown.
async function rendering(page, url) {
  await page.evaluate((u) => {
    const here = u.startsWith('#') ? location.hash : location.href;
    if (here !== u) document.querySelector('main')?.removeAttribute('data-shown');
  }, url);
}

// Waits until main holds a page that has finished rendering (the app marks it
// with data-shown once its data has loaded), and, given an address, that page.
// The hash changes before the app starts on the new page, so the address alone
// says nothing about what main shows.
export async function settled(page, href) {
  await page
    .waitForFunction(
      (h) => {
        const m = document.querySelector('main');
        return Boolean(m) && m.getAttribute('aria-busy') !== 'true' && m.hasAttribute('data-shown') && (!h || m.getAttribute('data-shown') === h);
      },
      href ?? null,
    )
    .catch(async (err) => {
      const now = await page.evaluate(() => [location.hash, document.querySelector('main')?.getAttribute('data-shown')]);
      throw new Error(`waiting for ${href ?? 'the page'}: at ${now[0]}, main shows ${now[1]}: ${err.message}`);
    });
}

// Runs `check` (an async function that asserts) until it passes, for what the
// page fills in after an action (a filter, a reply from the server, an image
// loading); after `timeout` ms it throws the last failure, its message
// prefixed with `what`. Returns what `check` returns. A check that already
// holds before the action (something being absent) passes at once, so use it
// for those only once the page has shown it was there.
export async function eventually(check, what, { timeout = 10000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) {
        if (err instanceof Error) {
          const first = err.message;
          err.message = `${what}: still failing after ${timeout} ms: ${first}`;
          if (typeof err.stack === 'string') err.stack = err.stack.replace(first, () => err.message);
          throw err;
        }
        throw new Error(`${what}: still failing after ${timeout} ms: ${String(err)}`);
      }
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// axe-core's WCAG 2.1 A and AA rules on the page as it is now; fails with the
// rule, the elements and axe's help text.
export async function checkA11y(page, what) {
  // A page still loading is dimmed; judge it once it has rendered (the
  // sign-in page is not one of the app's pages and is never busy).
  await page.waitForFunction(() => !document.querySelector('main[aria-busy=true]'));
  // Through the DevTools protocol, which the page's Content-Security-Policy
  // (script-src 'self') does not block, so the policy stays on under test.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  const problems = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.equal(problems.length, 0, `accessibility problems on ${what}:\n  ${problems.join('\n  ')}`);
  return result.passes.length;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
}

// JSON API calls as a user, for setting up what a scenario needs (a cookie
// jar of one session cookie).
export async function apiAs(username) {
  const res = await fetch(base + '/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 200, `login ${username}: ${await res.text()}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return async (method, path, body) => {
    const r = await fetch(base + path, {
      method,
      headers: { Cookie: cookie, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: r.status, body: json };
  };
}

export function noJsErrors(page) {
  assert.deepEqual(page.jsErrors, [], 'the page logged errors');
}

// A test whose pages are photographed when it fails (FAILED-<name>-<n>.png
// beside the screenshots) and closed when it ends.
export function scenario(name, fn) {
  test(name, async () => {
    openPages.length = 0;
    try {
      await fn();
    } catch (err) {
      const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      for (const [i, p] of openPages.entries()) {
        await p.screenshot({ path: join(out, `FAILED-${slug}-${i}.png`), fullPage: true }).catch(() => {});
      }
      throw err;
    } finally {
      for (const p of openPages.splice(0)) await p.context().close().catch(() => {});
    }
  });
}

// Follows a link of the main navigation (opening the menu on a phone).
export async function nav(page, name) {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const href = await link.getAttribute('href');
  await rendering(page, href);
  await link.click();
  await settled(page, href);
}
