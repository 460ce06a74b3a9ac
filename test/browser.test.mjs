// Real browser: headless Chromium (Debian's chromium, driven by playwright-core) opens pages built
// by Vite and by webpack from the browser fixture (test/fixtures/browser) and served on loopback,
// and reads what every kind of export gave (numbers, strings, typed arrays, a struct, a class, an
// error). Vite's dev server: editing the imported helper .zig reloads the page with the new value,
// and a compile error shows in its overlay with the user's file:line.
// Without chromium this file skips, except under CI=true, where it fails.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPECTED_PAGE, bundle, bundlerProject, serveStatic } from './support/bundler-project.mjs';

const CHROMIUM = process.env.ZIGIMPORT_CHROMIUM || '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const skip = !available && process.env.CI !== 'true' && `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

let browser;
async function openPage() {
  if (!available) assert.fail(`Chromium is required here (CI=true) and missing at ${CHROMIUM}: apt-get install -y chromium`);
  if (!browser) {
    const { chromium } = await import('playwright-core');
    // Playwright gives each launch a fresh temporary profile (it refuses --user-data-dir here).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}
after(() => browser?.close());

async function resultOf(url) {
  const { page, errors } = await openPage();
  try {
    await page.goto(url);
    await page
      .waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 })
      .catch(() => assert.fail(`the page did not finish: ${errors.join('\n')}`));
    return await page.evaluate(() => window.__result);
  } finally {
    await page.close();
  }
}

const project = skip ? undefined : bundlerProject();

test('a Vite production build runs in Chromium: every kind of export', { skip }, async () => {
  const b = await bundle(project, 'vite', { entry: 'index.html' });
  assert.equal(b.code, 0, b.stderr);
  const out = path.join(project, 'out', 'vite');
  assert.equal(fs.readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.wasm')).length, 1);
  const server = await serveStatic(out);
  try {
    assert.deepEqual(await resultOf(server.url), EXPECTED_PAGE);
  } finally {
    await server.close();
  }
});

test('a webpack build runs in Chromium: every kind of export', { skip }, async () => {
  const b = await bundle(project, 'webpack', { entry: 'page.mjs', target: 'web' });
  assert.equal(b.code, 0, b.stderr);
  const server = await serveStatic(path.join(project, 'out', 'webpack'));
  try {
    assert.deepEqual(await resultOf(server.url), EXPECTED_PAGE);
  } finally {
    await server.close();
  }
});

test("Vite's dev server: an edit of the imported helper .zig reloads with the new value; a compile error shows in the overlay with file:line", {
  skip,
}, async () => {
  const dir = bundlerProject();
  const { createServer } = await import('vite');
  const { default: zig } = await import('zigimport/vite');
  const server = await createServer({ root: dir, configFile: false, logLevel: 'silent', plugins: [zig()], server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  let page;
  try {
    const opened = await openPage();
    page = opened.page;
    const errors = opened.errors;
    const url = server.resolvedUrls.local[0];
    await page.goto(url);
    await page.waitForFunction(() => document.title === 'ready', null, { timeout: 60_000 }).catch(() => assert.fail(errors.join('\n')));
    assert.deepEqual(await page.evaluate(() => window.__result), EXPECTED_PAGE);

    fs.writeFileSync(path.join(dir, 'helper.zig'), 'pub const value: i32 = 2;\n');
    await page.waitForFunction(() => window.__result?.helper === 2, null, { timeout: 60_000 });

    fs.writeFileSync(path.join(dir, 'helper.zig'), 'pub const value: i32 = "two";\n');
    await page.waitForSelector('vite-error-overlay', { timeout: 60_000 });
    const overlay = await page.evaluate(() => document.querySelector('vite-error-overlay').shadowRoot.textContent);
    assert.match(overlay, /helper\.zig:1:\d+/);
    assert.match(overlay, /expected type 'i32'/);
  } finally {
    await page?.close();
    await server.close();
  }
});
