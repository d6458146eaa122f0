// stats-trend.test.mjs: the monthly figures on the console home: the city's this month equal the API's, drilling down
// from the city to a district follows the figures, a community's staff see theirs; the rollup's time is shown
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, ADMIN_PASSWORD } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const CITY = '440100000000';
const BAIYUN = '440111000000';
const SHILIUQIAO = '440111002011';

// The full demo (services, points, activities this month); the server's own rollup runs when it starts.
const env = serverAndBrowser({ demo: 'full' });

async function months(login, password, code) {
  const c = new Client(env.srv.url);
  await c.login(login, password);
  const deadline = Date.now() + 20000;
  let r;
  do r = await c.get(`/api/v1/stats/regions/${code}/months`);
  while (r.status === 200 && r.json.as_of === null && Date.now() < deadline);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.as_of > 0, 'the server rolled up at start');
  return r.json;
}
const num = async (page, name) => Number(((await page.locator(`[data-test="stat-${name}"]`).textContent()) || '').replace(/,/g, ''));

test('admin sees the city\'s month and drills down to a district, the figures following', async (t) => {
  const city = await months('admin', ADMIN_PASSWORD, CITY);
  const now = city.months.at(-1);
  assert.ok(now.services > 0, 'the demo has services this month');
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await seeText(page.locator('#wb-trend'), '广州市本月服务');
    await seeText(page.locator('[data-test="trend-as-of"]'), /统计截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.equal(await num(page, 'month-services'), now.services);
    assert.equal(await num(page, 'month-active'), now.active_members);
    assert.equal(await num(page, 'month-points'), now.points);
    await page.locator('[data-test="trend"] .echart canvas').waitFor();
    for (const button of ['trend-export', 'trend-export-children']) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-test="${button}"]`).click()]);
      assert.match(file.suggestedFilename(), /\.xlsx$/);
      assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK', button);
    }
    const row = page.locator('[data-test="trend-children"] .el-table__row', { hasText: '白云区' });
    const kid = city.children.find((c) => c.code === BAIYUN);
    const hours = String(Math.round(kid.minutes / 6) / 10).replace('.', '\\.');
    await seeText(row, new RegExp(`白云区\\s*${kid.services}\\s*${hours}`));

    await page.locator(`[data-test="trend-drill-${BAIYUN}"]`).click();
    await page.waitForURL(new RegExp(`\\?region=${BAIYUN}$`));
    await seeText(page.locator('#wb-trend'), '白云区本月服务');
    const district = await months('admin', ADMIN_PASSWORD, BAIYUN);
    await seeText(page.locator('[data-test="stat-month-services"]'), String(district.months.at(-1).services));
    assert.equal(await num(page, 'month-active'), district.months.at(-1).active_members);
  });
});

test('a community\'s staff see their own month on the workbench', async (t) => {
  const mine = await months('staff', undefined, SHILIUQIAO);
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await seeText(page.locator('#wb-trend'), '石榴桥社区本月服务');
    const now = mine.months.at(-1);
    assert.equal(await num(page, 'month-services'), now.services);
    assert.equal(await num(page, 'month-activities'), now.activities);
    await seeText(page.locator('[data-test="tile-month-services"]'), `共 ${Math.round(now.minutes / 6) / 10} 小时`);
    assert.equal(await page.locator('[data-test="trend-children"]').count(), 0, 'a community has no children to list');
  });
});
