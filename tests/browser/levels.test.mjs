// levels.test.mjs: a street-level 镇 is called 镇 (not 街道) in the region tree, its detail and its parent's list
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, ADMIN_PASSWORD } from './helpers.mjs';

let town;
const env = serverAndBrowser({}, async (srv) => {
  // The real 广州市 divisions: 白云区 has 街道 and 镇 side by side.
  srv.cli(['regions', 'import', '--city', '4401']);
  const admin = new Client(srv.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const found = (await admin.get(`/api/v1/regions?q=${encodeURIComponent('人和镇')}`)).json.items;
  town = found.find((n) => n.name === '人和镇' && n.level === 'street');
  assert.ok(town, `人和镇 imported (${JSON.stringify(found)})`);
});

test('人和镇 is labelled 镇 and 三元里街道 街道 in the tree, the detail and 白云区\'s list', async (t) => {
  await withPage(t, env.browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${env.srv.url}/admin/regions?code=${town.code}`);
    const node = page.locator(`.rt-tree [data-code="${town.code}"]`);
    await seeText(node, '人和镇');
    assert.equal(await node.locator('.rt-node-level').textContent(), '镇');
    const street = page.locator('.rt-tree .rt-node', { hasText: '三元里街道' });
    assert.equal(await street.locator('.rt-node-level').textContent(), '街道');
    await seeText(page.locator('[data-test="region-title"]'), '人和镇');
    assert.equal((await page.locator('[data-test="region-level"]').textContent()).trim(), '镇');
    await seeText(page.locator('.rd-desc'), /层级\s*镇/);

    // The district's list of the level below says 镇 and 街道 by name.
    await page.goto(`${env.srv.url}/admin/regions?code=${town.code.slice(0, 6)}000000`);
    const rows = page.locator('.rd-section .el-table__row');
    await seeText(rows.filter({ hasText: '人和镇' }), '镇');
    assert.match(await rows.filter({ hasText: '人和镇' }).locator('td').nth(2).textContent(), /^镇$/);
    assert.match(await rows.filter({ hasText: '三元里街道' }).locator('td').nth(2).textContent(), /^街道$/);

    // And the search results.
    await page.getByRole('textbox', { name: '搜索区划' }).fill('人和镇');
    const result = page.locator('.rt-result', { hasText: '人和镇' }).first();
    await seeText(result, '镇');
    assert.equal((await result.locator('.el-tag').textContent()).trim(), '镇');
  });
});
