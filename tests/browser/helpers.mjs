// helpers.mjs: Debian's chromium via playwright-core, a page per test, screenshots of failures in test-output/
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, DEMO_PASSWORD, ADMIN_PASSWORD, startServer } from '../lib/server.mjs';

export { DEMO_PASSWORD, ADMIN_PASSWORD };
export const WEB = join(ROOT, 'web/dist');
export const OUT = join(ROOT, 'test-output');

// The tests drive the built front end; building is a separate, explicit step.
export function requireBuild() {
  if (!existsSync(join(WEB, 'admin/index.html')) || !existsSync(join(WEB, 'm/index.html'))) {
    throw new Error('web/dist is missing: run `npm --prefix web ci && npm --prefix web run build` first');
  }
}

// For a test file: a server (demo data, the built front end; opts go to startServer) and
// chromium, started before its tests (then setup(srv), once) and stopped after them.
// Returns { srv, browser }, filled in by the time the tests run.
export function serverAndBrowser(opts = {}, setup = undefined) {
  const env = { srv: null, browser: null };
  before(async () => {
    requireBuild();
    env.srv = await startServer({ web: WEB, ...opts });
    env.browser = await launch();
    await setup?.(env.srv);
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.stop();
  });
  return env;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A fresh context (own cookies and localStorage) and page. Collects CSP violations and
// uncaught errors, which every test checks at the end through `page.problems`.
export async function openPage(browser, { width = 1440, height = 900, isMobile = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, isMobile, hasTouch: isMobile, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15000);
  // No animations: clicks land on elements that have stopped moving (CSP allows inline styles).
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = '*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important;'
        + ' animation-duration: 0s !important; animation-delay: 0s !important; }';
      document.head.appendChild(style);
    });
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return { context, page };
}

function slug(s) {
  return s.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test';
}

// Runs fn(page); on failure saves test-output/<test name>.png, then rethrows.
export async function withPage(t, browser, opts, fn) {
  const { context, page } = await openPage(browser, opts);
  try {
    await fn(page);
    assert.deepEqual(page.problems, [], 'no CSP violations or uncaught errors');
  } catch (err) {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, `${slug(t.fullName || t.name)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    t.diagnostic(`screenshot: ${file}`);
    throw err;
  } finally {
    await context.close();
  }
}

export async function loginConsole(page, base, login, password = DEMO_PASSWORD) {
  if (!page.url().includes('/admin/login')) await page.goto(`${base}/admin/login`);
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
}

export async function loginMobile(page, base, login, password = DEMO_PASSWORD) {
  if (!page.url().includes('/m/login')) await page.goto(`${base}/m/login`);
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/m/login'));
}

// Waits until the locator shows text matching `expected` (string: contained; RegExp: tested).
export async function seeText(locator, expected, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.first().textContent().catch(() => '')) || '';
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected ${expected} in ${locator}, got ${JSON.stringify(last)}`);
}

export const path = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

// A valid 18-character ID number (GB 11643 check digit) from area (6 digits), birth date
// (YYYYMMDD) and sequence (3 digits; odd for men, even for women).
export function idNumber(area, birth, seq) {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `${area}${birth}${seq}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

// Clicks the confirm button of an Element Plus message box (ElMessageBox.confirm / prompt).
export async function confirmBox(page, name) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.getByRole('button', { name }).click();
  await box.waitFor({ state: 'hidden' });
}
