// a11y.test.mjs: axe-core finds no critical violations on the login pages and the console layout
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { startServer } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, loginMobile, WEB } from './helpers.mjs';

let srv;
let browser;
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Runs axe; fails on critical violations, reports the others as diagnostics.
async function check(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) {
    t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  const critical = violations.filter((v) => v.impact === 'critical');
  assert.deepEqual(critical.map((v) => v.id), [], 'no critical accessibility violations');
  return violations;
}

test('console login page', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await page.goto(`${srv.url}/admin/login`);
    await page.getByLabel('账号').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await check(t, page);
  });
});

test('mobile login page', async (t) => {
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await page.goto(`${srv.url}/m/login`);
    await page.getByLabel('账号').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await check(t, page);
  });
});

test('console layout after login (工作台 and 区划管理)', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.locator('.db-tiles a').first().waitFor();
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.getByRole('banner').count(), 1);
    await check(t, page);
    await page.goto(`${srv.url}/admin/regions`);
    await page.locator('[data-test="region-title"]').waitFor();
    await check(t, page);
  });
});

test('mobile home after login', async (t) => {
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.locator('.mh-tiles').waitFor();
    await check(t, page);
  });
});
