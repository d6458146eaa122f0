// households.test.mjs: 住户 (楼栋住户登记) in the console: staff lay out a new building (2 units × floors 1..3 × 2 a floor),
// the grid shows its 12 rooms; one is marked 空置 (its square and the building's tally follow); 人数 100 is refused at the field
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, seeText, confirmBox, ADMIN_PASSWORD } from './helpers.mjs';

const SHILIUQIAO = '440111002011'; // the demo staff's community
const WIDE = { width: 1280, height: 900 };
const NAME = '石榴桥路 18 号';
const OTHER = '石榴桥路 20 号';
const env = serverAndBrowser(); // the base demo: the staff of 石榴桥社区

// A building under a new grid of the staff's community (the region pages are tested elsewhere).
async function newBuilding(name = NAME) {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const g = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: `${name}网格` });
  assert.equal(g.status, 201, g.text);
  const b = await staff.post(`/api/v1/regions/${g.json.code}/children`, { name });
  assert.equal(b.status, 201, b.text);
  return { staff, code: b.json.code };
}
const setNumber = async (box, n) => {
  const input = box.locator('input');
  await input.fill(String(n));
  await input.press('Tab');
};

test('staff lay out a building, mark a room 空置 (grid and tally follow), and 人数 100 is refused at its field', async (t) => {
  const { staff, code } = await newBuilding();
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side .el-menu-item', { hasText: '住户' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/households');
    await seeText(page.locator('h1'), '楼栋住户登记');
    const row = page.locator('[data-test="hv-buildings"] .el-table__body-wrapper .el-table__row', { hasText: NAME });
    await row.locator('[data-test="hv-open"]').click();
    await seeText(page.locator('.hv-building'), '这栋楼还没有登记住户');

    // 批量生成: 2 units × floors 1..3 × 2 a floor.
    await page.locator('[data-test="hv-layout"]').click();
    const dlg = page.locator('[data-test="hh-layout"]');
    await setNumber(dlg.locator('[data-test="hl-units"]'), 2);
    await setNumber(dlg.locator('[data-test="hl-from"]'), 1);
    await setNumber(dlg.locator('[data-test="hl-to"]'), 3);
    await setNumber(dlg.locator('[data-test="hl-per"]'), 2);
    await seeText(dlg.locator('[data-test="hl-count"]'), '最多 12 户');
    await dlg.locator('[data-test="hl-save"]').click();
    await seeText(page.locator('.el-message--success'), '新增 12 户，保留 0 户');
    await dlg.waitFor({ state: 'hidden' });
    const rooms = page.locator('[data-test="bg-room"]');
    await rooms.nth(11).waitFor();
    assert.equal(await rooms.count(), 12);
    assert.equal(await page.locator('[data-test="bg-unit"]').count(), 2, 'a block per 单元');
    const firstRow = page.locator('[data-test="bg-unit"]').first().locator('[data-test="bg-row"]').first();
    await seeText(firstRow, '3层');
    assert.deepEqual(await firstRow.locator('[data-test="bg-room"] .bg-room-no').allTextContents(), ['301', '302'], 'the top floor first');
    await seeText(row, '12');
    const listed = (await staff.get(`/api/v1/buildings/${code}/households`)).json.items;
    assert.equal(listed.length, 12);

    // A room marked 空置: its square and the tally follow.
    const square = page.getByRole('button', { name: '2单元 102 未核实', exact: true });
    const before = await square.evaluate((e) => getComputedStyle(e).backgroundColor);
    await square.click();
    const edit = page.locator('[data-test="hh-dialog"]');
    assert.equal(await edit.locator('input[data-test="hf-room"]').inputValue(), '102');
    await edit.locator('[data-test="hf-occupancy"]').getByText('空置', { exact: true }).click();
    await edit.locator('[data-test="hf-save"]').click();
    await edit.waitFor({ state: 'hidden' });
    const vacant = page.getByRole('button', { name: '2单元 102 空置', exact: true });
    await vacant.waitFor();
    assert.equal(await vacant.getAttribute('data-state'), 'vacant');
    await seeText(vacant, '空置');
    assert.notEqual(await vacant.evaluate((e) => getComputedStyle(e).backgroundColor), before, 'the square changes colour');
    await seeText(row.locator('[data-test="hv-vacant"]'), '1');
    const saved = (await staff.get(`/api/v1/buildings/${code}/households`)).json.items.find((h) => h.unit_no === '2' && h.room === '102');
    assert.equal(saved.occupancy, 'vacant');

    // 人数 100: the server's word next to the field, nothing changed.
    await vacant.click();
    await setNumber(edit.locator('[data-test="hf-people"]'), 100);
    await edit.locator('[data-test="hf-save"]').click();
    await seeText(edit.locator('[data-test="hf-people-item"] .el-form-item__error'), '不能大于 99');
    assert.equal(await edit.isVisible(), true, 'the dialog stays open');
    const still = (await staff.get(`/api/v1/households/${saved.id}`)).json;
    assert.equal(still.people, 0);

    // 张阿姨 (the demo resident) found by name and moved in; then out again.
    const residents = edit.locator('[data-test="hh-residents"]');
    await seeText(residents, '还没有居民账号登记在此户');
    await residents.locator('[data-test="hh-res-find"] input').fill('张阿姨');
    await page.locator('.el-select-dropdown__item', { hasText: '张阿姨' }).first().click();
    await residents.locator('[data-test="hh-res-add"]').click();
    await seeText(page.locator('.el-message--success'), '已登记入住');
    await seeText(residents.locator('.hh-res-list'), '张阿姨');
    assert.deepEqual((await staff.get(`/api/v1/households/${saved.id}`)).json.resident_accounts.map((r) => r.name), ['张阿姨']);
    await residents.getByRole('button', { name: '迁出' }).click();
    await seeText(residents, '还没有居民账号登记在此户');
    assert.deepEqual((await staff.get(`/api/v1/households/${saved.id}`)).json.resident_accounts, []);

    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
  });
});

test('a room added with no unit and no floor sits in 楼层未知; removed after confirming', async (t) => {
  const { staff, code } = await newBuilding(OTHER);
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/households?building=${code}`);
    await page.locator('[data-test="hv-add"]:not([disabled])').click();
    const add = page.locator('[data-test="hh-dialog"]');
    await add.locator('input[data-test="hf-room"]').fill('底商');
    await add.locator('[data-test="hf-occupancy"]').getByText('住人', { exact: true }).click();
    await setNumber(add.locator('[data-test="hf-people"]'), 2);
    await add.locator('[data-test="hf-save"]').click();
    await add.waitFor({ state: 'hidden' });
    const shop = page.getByRole('button', { name: '底商 住人 2人', exact: true });
    await shop.waitFor();
    await seeText(page.locator('[data-test="bg-unit"]'), '不分单元');
    await seeText(page.locator('[data-test="bg-row"]', { has: shop }), '楼层未知');
    const row = page.locator('[data-test="hv-buildings"] .el-table__body-wrapper .el-table__row', { hasText: OTHER });
    await seeText(row, /1\s*1\s*0\s*2/);

    // The same room again: refused at 房号.
    await page.locator('[data-test="hv-add"]').click();
    await add.locator('input[data-test="hf-room"]').fill('底商');
    await add.locator('[data-test="hf-save"]').click();
    await seeText(add.locator('.el-form-item.is-error'), '已有此房号');
    await add.getByRole('button', { name: '取消' }).click();
    await add.waitFor({ state: 'hidden' });

    await shop.click();
    await add.locator('[data-test="hf-remove"]').click();
    await confirmBox(page, '删除此户');
    await add.waitFor({ state: 'hidden' });
    await seeText(page.locator('.hv-building'), '这栋楼还没有登记住户');
    assert.deepEqual((await staff.get(`/api/v1/buildings/${code}/households`)).json.items, []);
  });
});

test('the administrator picks the community first, then sees its buildings and their tallies', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${env.srv.url}/admin/households`);
    await seeText(page.locator('.page-card').first(), '请选择社区');
    assert.equal(await page.locator('[data-test="hv-buildings"]').count(), 0, 'no community: no buildings');
    await page.goto(`${env.srv.url}/admin/households?community=${SHILIUQIAO}`);
    const row = page.locator('[data-test="hv-buildings"] .el-table__body-wrapper .el-table__row', { hasText: NAME });
    await seeText(row.locator('[data-test="hv-vacant"]'), '1');
    await row.locator('[data-test="hv-open"]').click();
    await page.locator('[data-test="bg-room"]').nth(11).waitFor();
    assert.equal(await page.locator('[data-test="bg-room"]').count(), 12);
    await seeText(page.locator('#hv-community').locator('xpath=ancestor::div[contains(@class,"el-select")]'), '石榴桥社区');
  });
});
