// quiet.test.mjs: 沉寂党员 in the console: the staff's tile is the list's count and leads to it, the list is the API's
// and exports as .xlsx; a unit sees its own, without phones
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
// The full demo seen a hundred days later: its members have been quiet since.
const env = serverAndBrowser({ demo: 'full', clock: Math.floor(Date.now() / 1000) + 100 * 86400 });

async function listOf(login, path) {
  const c = new Client(env.srv.url);
  await c.login(login);
  const r = await c.get(`/api/v1${path}?per_page=100`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const num = async (page, name) => Number(((await page.locator(`[data-test="stat-${name}"]`).textContent()) || '').replace(/,/g, ''));
const names = async (page) => (await page.locator('[data-test="quiet-table"] .el-table__body-wrapper .el-table__row td:first-child')
  .allTextContents()).map((s) => s.trim());

test('staff: the tile counts the quiet, leads to the list, which exports', async (t) => {
  const want = await listOf('staff', `/communities/${SHILIUQIAO}/quiet`);
  assert.ok(want.total >= 3);
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('[data-test="stat-quiet"]').waitFor();
    assert.equal(await num(page, 'quiet'), want.total);
    await page.locator('[data-test="tile-quiet"]').click();
    await page.waitForURL('**/admin/quiet');
    await seeText(page.locator('[data-test="quiet-total"]'), `共 ${want.total} 人`);
    await seeText(page.locator('[data-test="quiet-note"]'), '连续 90 天');
    await page.locator('[data-test="quiet-table"] .el-table__row').first().waitFor();
    assert.deepEqual(await names(page), want.items.slice(0, 20).map((q) => q.name), 'the server\'s order, longest quiet first');
    await seeText(page.locator('[data-test="quiet-table"] .el-table__row').first(), want.items[0].phone);
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="quiet-export"]').click()]);
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK');
  });
});

test('a unit: its quiet members with where they live, no phones', async (t) => {
  const want = await listOf('unit', '/units/2/quiet');
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'unit');
    await page.locator('[data-test="stat-quiet"]').waitFor();
    assert.equal(await num(page, 'quiet'), want.total);
    await page.goto(`${env.srv.url}/admin/quiet`);
    await seeText(page.locator('[data-test="quiet-total"]'), `共 ${want.total} 人`);
    if (want.total) {
      await page.locator('[data-test="quiet-table"] .el-table__row').first().waitFor();
      assert.deepEqual(await names(page), want.items.slice(0, 20).map((q) => q.name));
      await seeText(page.locator('[data-test="quiet-table"]'), want.items[0].community_name);
    }
    assert.equal(await page.locator('[data-test="quiet-table"] th', { hasText: '手机号' }).count(), 0);
  });
});
