// unit-tasks.test.mjs: 单位任务 in the console: the demo unit (a co-building agreement with 石榴桥) sees the published
// wishes of its partner community, claims one for the unit, and it moves to what the unit holds, marked 已认领; 圆梦 follows
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, withPage, loginConsole, seeText } from './helpers.mjs';

const WIDE = { width: 1280, height: 900 };
const env = serverAndBrowser({ demo: 'full' });
const rows = (page, table) => page.locator(`[data-test="${table}"] .el-table__body-wrapper .el-table__row`);

test('the demo unit claims a wish of its partner community on 单位任务, then reports it fulfilled', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'unit');
    await page.locator('.el-menu-item', { hasText: '单位任务' }).click();
    await page.waitForURL(/\/admin\/unit-tasks$/);
    const open = rows(page, 'unit-open-wishes');
    await open.first().waitFor();
    const title = (await open.first().locator('td').first().innerText()).trim();
    assert.ok(title.length > 0);
    await seeText(open.first(), '石榴桥');
    const before = await open.count();
    await open.first().locator('[data-test="unit-claim"]').click();
    await seeText(page.locator('.el-message--success'), '已以单位认领');
    const held = rows(page, 'unit-wishes').filter({ hasText: title });
    await seeText(held.locator('[data-test="unit-wish-state"]'), '已认领');
    assert.equal(await open.count(), before - 1, 'no longer open to claim');
    await held.locator('[data-test="unit-fulfil"]').click();
    const dlg = page.locator('[data-test="unit-finish"]');
    await dlg.locator('#ut-note').fill('单位捐赠送到家');
    await dlg.locator('[data-test="unit-finish-ok"]').click();
    await seeText(held.locator('[data-test="unit-wish-state"]'), '已圆梦');
  });
});
