// mobile.test.mjs: the mobile pages (/m/) on a phone-sized screen: login, home, 大字模式 kept over a reload
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginMobile, seeText, path, WEB } from './helpers.mjs';

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

const PHONE = { width: 390, height: 844, isMobile: true };

const rootFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.van-cell__title')).fontSize));

test('member logs in on a phone, sees 还未报到 and the tiles, turns on 大字模式 and keeps it after a reload', async (t) => {
  await withPage(t, browser, PHONE, async (page) => {
    await page.goto(`${srv.url}/m/`);
    await page.waitForURL(/\/m\/login/);
    await loginMobile(page, srv.url, 'member');
    assert.equal(path(page), '/m/');
    // No report-in yet: the way to report, not a community (home.test.mjs has the rest).
    await seeText(page.locator('[data-test="community"]'), '还未报到');
    for (const name of ['报到', '我的任务', '活动', '微心愿', '我的积分']) {
      await seeText(page.locator('.mh-tiles'), name);
    }

    // A tile opens its page (微心愿 asks for a report-in first); back returns home.
    await page.locator('[data-test="tile-wish"]').click();
    await page.waitForURL(/\/m\/wishes$/);
    await page.locator('[data-test="report-first"]').waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/m/');

    await page.locator('.van-tabbar-item', { hasText: /^我的$/ }).click();
    await page.waitForURL(/\/m\/mine/);
    await seeText(page.locator('.van-tabbar-item--active'), '我的');
    assert.equal(await page.locator('.van-tabbar-item--active').count(), 1, 'one active tab');
    const before = await rootFontPx(page);
    const toggle = page.getByRole('switch', { name: '大字模式' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await toggle.click();
    await page.waitForFunction(() => document.documentElement.classList.contains('bd-large'));
    const larger = await rootFontPx(page);
    assert.ok(larger >= before * 1.2, `text grows (${before}px → ${larger}px)`);

    await page.reload();
    await page.getByRole('switch', { name: '大字模式' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);
    assert.equal(await page.getByRole('switch', { name: '大字模式' }).getAttribute('aria-checked'), 'true');
    assert.equal(await rootFontPx(page), larger);
    assert.equal(await page.evaluate(() => localStorage.getItem('baodao.largeFont')), '1');

    // Still large on the login page after logging out.
    await page.locator('[data-test="logout"]').click();
    await page.getByRole('dialog').getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/m\/login/);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);
    assert.equal(await page.locator('[data-test="large-font-toggle"]').getAttribute('aria-pressed'), 'true');
  });
});

test('a resident whose staff set large font for them starts in 大字模式 on a new phone, and their own choice there wins', async (t) => {
  const staff = new Client(srv.url);
  const resident = new Client(srv.url);
  await staff.login('staff');
  await resident.login('resident');
  const me = (await resident.get('/api/v1/me')).json;
  const set = await staff.post(`/api/v1/accounts/${(me.account ?? me).id}/large-font`, { large_font: true });
  assert.equal(set.status, 200, set.text);
  await withPage(t, browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'resident');
    await page.waitForFunction(() => document.documentElement.classList.contains('bd-large'));
    await page.locator('.van-tabbar-item', { hasText: /^我的$/ }).click();
    const toggle = page.getByRole('switch', { name: '大字模式' });
    await page.waitForFunction(() => document.querySelector('[role="switch"][aria-checked="true"]'));
    await toggle.click(); // the resident turns it off on this phone
    await page.waitForFunction(() => !document.documentElement.classList.contains('bd-large'));
    await page.reload();
    await page.getByRole('switch', { name: '大字模式' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), false,
      'the phone\'s own choice is kept over the account\'s default');
  });
  await staff.post(`/api/v1/accounts/${(me.account ?? me).id}/large-font`, { large_font: false });
});

test('a wrong password on the phone shows the server message and keeps the login name', async (t) => {
  await withPage(t, browser, PHONE, async (page) => {
    await page.goto(`${srv.url}/m/login`);
    await page.getByLabel('账号').fill('resident');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await seeText(page.getByRole('alert'), '账号或密码错误');
    assert.equal(await page.getByLabel('账号').inputValue(), 'resident');

    // After repeated failures the server answers 429 with Retry-After: the page says how long to wait.
    let text = '';
    for (let i = 0; i < 8 && !/过多/.test(text); i++) {
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('button', { name: '登录' }).and(page.locator(':not(.van-button--loading)')).waitFor();
      text = (await page.getByRole('alert').textContent()) || '';
    }
    assert.match(text, /登录失败次数过多，请 \d+ (分钟|秒)后再试/);
  });
});
