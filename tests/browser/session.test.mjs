// session.test.mjs: an expired session sends the person to login and back to the page they were on
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, loginMobile, seeText, path, WEB } from './helpers.mjs';

const IDLE = 600; // seconds
let srv;
let browser;
before(async () => {
  requireBuild();
  // A fake clock: the test moves time instead of waiting for it.
  srv = await startServer({ web: WEB, idle: IDLE, clock: Math.floor(Date.now() / 1000) });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('console: after the idle timeout the next request leads to login, and login returns to the page', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await page.goto(`${srv.url}/admin/units?type=institution`);
    await page.waitForURL(/\/admin\/login/);
    await loginConsole(page, srv.url, 'org');
    assert.equal(path(page), '/admin/units?type=institution', 'login returns to the page first asked for');
    await page.locator('[data-test="units-table"] .el-table__row').first().waitFor();

    srv.advance(IDLE + 60);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/admin\/login/);
    const u = new URL(page.url());
    assert.equal(u.searchParams.get('redirect'), '/units?type=institution');
    await seeText(page.locator('.lg-panel'), '登录已超时');

    await loginConsole(page, srv.url, 'org');
    assert.equal(path(page), '/admin/units?type=institution');
    await page.locator('[data-test="units-table"] .el-table__row').first().waitFor();

    // The same after a reload of an expired page.
    srv.advance(IDLE + 60);
    await page.goto(`${srv.url}/admin/audit?action=unit.create`);
    await page.waitForURL(/\/admin\/login/);
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/audit?action=unit.create');
    await loginConsole(page, srv.url, 'org');
    assert.equal(path(page), '/admin/audit?action=unit.create');
    await page.locator('[data-test="audit-table"] .el-table__row').first().waitFor();
  });
});

test('mobile: an expired session returns to login and then to the page', async (t) => {
  await withPage(t, browser, { width: 390, height: 844, isMobile: true }, async (page) => {
    await loginMobile(page, srv.url, 'resident');
    await page.goto(`${srv.url}/m/mine`);
    await page.getByRole('switch', { name: '大字模式' }).waitFor();

    srv.advance(IDLE + 60);
    await page.locator('.van-cell', { hasText: '修改密码' }).click();
    await page.waitForURL(/\/m\/mine\/password/);
    await page.getByLabel('当前密码').fill('wrong-password-123');
    await page.getByLabel('新密码', { exact: true }).fill('another-password-123');
    await page.getByLabel('确认新密码').fill('another-password-123');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL(/\/m\/login/);
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/mine/password');
    await seeText(page.locator('main'), '登录已超时');
    await loginMobile(page, srv.url, 'resident');
    assert.equal(path(page), '/m/mine/password');
  });
});
