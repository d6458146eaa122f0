// console.test.mjs: the staff console (/admin/) against a real server: region tree, grids, units, logout
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, seeText, path, WEB } from './helpers.mjs';

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

const PATH = ['广州市', '白云区', '三元里街道'];

// The el-tree node whose own row shows `name`.
const treeNode = (page, name) => page.locator('.rt-tree .el-tree-node').filter({
  has: page.locator(':scope > .el-tree-node__content .rt-node > span:first-child', { hasText: new RegExp(`^${name}$`) }),
});

test('staff opens the tree down to 石榴桥社区, creates, renames and removes a grid', async (t) => {
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await page.goto(`${srv.url}/admin/`);
    await page.waitForURL(/\/admin\/login/);
    await loginConsole(page, srv.url, 'staff');
    assert.equal(path(page), '/admin/');

    // Header: the scope as a breadcrumb from /me's region_path; menu: no audit log for staff.
    const crumbs = page.getByRole('navigation', { name: '当前范围' });
    await seeText(crumbs, /广州市.*白云区.*三元里街道.*石榴桥社区/);
    const menu = page.locator('.cl-side');
    await seeText(menu, '区划管理');
    assert.equal(await menu.getByText('审计日志').count(), 0, 'staff sees no audit log item');

    // From the menu, the region page opens at the staff's own community.
    await menu.getByText('区划管理').click();
    await page.waitForURL(/\/admin\/regions\?code=440111002011/);
    await seeText(page.locator('.rt-tree .el-tree-node.is-current > .el-tree-node__content'), '石榴桥社区');

    // Opened at the city, the tree is walked down by hand: 广州市 › 白云区 › 三元里街道 › 石榴桥社区.
    await page.goto(`${srv.url}/admin/regions?code=440100000000`);
    await seeText(page.locator('.rt-tree .el-tree-node.is-current > .el-tree-node__content'), '广州市');
    for (const name of PATH) {
      const node = treeNode(page, name);
      await node.waitFor();
      assert.equal(await node.getAttribute('aria-expanded'), 'false', `${name} starts closed`);
      await node.locator(':scope > .el-tree-node__content .el-tree-node__expand-icon').click();
      // Open, with the children loaded and the opening animation over (no max-height left).
      await page.waitForFunction((el) => {
        const kids = el.querySelector(':scope > .el-tree-node__children');
        return el.getAttribute('aria-expanded') === 'true' && kids && !kids.style.maxHeight && kids.children.length > 0;
      }, await node.elementHandle());
    }
    await treeNode(page, '石榴桥社区').locator(':scope > .el-tree-node__content').click();
    await page.waitForURL(/code=440111002011/);
    await seeText(page.locator('[data-test="region-title"]'), '石榴桥社区');
    await seeText(page.locator('.rd-path'), '广州市 › 白云区 › 三元里街道');

    // Create a grid.
    await page.locator('[data-test="create-child"]').click();
    const dialog = page.getByRole('dialog', { name: '新建网格' });
    await dialog.getByLabel('名称').fill('浏览器测试网格');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const grid = page.locator('.rd-grid', { hasText: '浏览器测试网格' });
    await grid.waitFor();
    await treeNode(page, '浏览器测试网格').waitFor();

    // The same name again: the server's 409 appears next to the name field, the text stays.
    await page.locator('[data-test="create-child"]').click();
    await dialog.getByLabel('名称').fill('浏览器测试网格');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.locator('.el-form-item__error').waitFor();
    assert.equal(await dialog.getByLabel('名称').inputValue(), '浏览器测试网格');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Rename it.
    await grid.locator('[data-test="rename"]').click();
    const rename = page.getByRole('dialog', { name: '重命名网格' });
    assert.equal(await rename.getByLabel('名称').inputValue(), '浏览器测试网格');
    await rename.getByLabel('名称').fill('浏览器测试网格（改）');
    await rename.getByRole('button', { name: '确定' }).click();
    await rename.waitFor({ state: 'hidden' });
    const renamed = page.locator('.rd-grid', { hasText: '浏览器测试网格（改）' });
    await renamed.waitFor();
    await treeNode(page, '浏览器测试网格（改）').waitFor();

    // A building under it; removing the grid then is refused (409) and the message is shown.
    await renamed.getByRole('button', { name: '新建楼栋' }).click();
    const bdialog = page.getByRole('dialog', { name: '新建楼栋' });
    await bdialog.getByLabel('名称').fill('1栋');
    await bdialog.getByRole('button', { name: '确定' }).click();
    await bdialog.waitFor({ state: 'hidden' });
    await renamed.locator('.rd-buildings li', { hasText: '1栋' }).waitFor();

    await renamed.locator('[data-test="remove"]').click();
    const confirm = page.getByRole('dialog', { name: '删除确认' });
    await seeText(confirm, '浏览器测试网格（改）');
    await confirm.getByRole('button', { name: '删除' }).click();
    const error = page.locator('.el-message--error');
    await error.waitFor();
    assert.ok((await error.textContent()).trim().length > 0, 'the 409 problem is shown');
    await renamed.waitFor();

    // Remove the building, then the grid.
    await renamed.getByRole('button', { name: '删除 1栋' }).click();
    await page.getByRole('dialog', { name: '删除确认' }).getByRole('button', { name: '删除' }).click();
    await renamed.locator('.rd-buildings').waitFor({ state: 'detached' });
    await renamed.locator('[data-test="remove"]').click();
    await page.getByRole('dialog', { name: '删除确认' }).getByRole('button', { name: '删除' }).click();
    await renamed.waitFor({ state: 'detached' });
  });
});

// The clickable box of the el-select labelled `label`.
const selectBox = (scope, label) => scope.locator('.el-form-item')
  .filter({ has: scope.page().locator('.el-form-item__label', { hasText: label }) })
  .locator('.el-select__wrapper');

test('org creates a unit: the server rejects the phone next to the field, the form keeps the input, then saves', async (t) => {
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'org');
    await page.goto(`${srv.url}/admin/units`);
    await page.locator('[data-test="units-table"] .el-table__row').first().waitFor();

    await page.locator('[data-test="unit-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新建单位' });
    await dialog.getByLabel('单位名称').fill('白云区浏览器测试中心');
    await dialog.getByLabel('党组织名称').fill('中共白云区浏览器测试中心支部委员会');
    await selectBox(dialog, '单位类型').click();
    await page.getByRole('option', { name: '事业单位' }).click();
    await selectBox(dialog, '所在区划').click();
    await page.keyboard.type('三元里街道');
    await page.getByRole('option', { name: /^三元里街道/ }).first().click();
    await dialog.getByLabel('联系人').fill('测试员');
    await dialog.getByLabel('联系电话').fill('12345');
    await dialog.locator('[data-test="unit-save"]').click();

    // The server's 422: its message sits under the phone field; everything typed stays.
    const phoneItem = dialog.locator('.el-form-item', { has: page.getByLabel('联系电话') });
    const phoneError = phoneItem.locator('.el-form-item__error');
    await phoneError.waitFor();
    assert.match(await phoneError.textContent(), /\S/);
    assert.equal(await dialog.getByLabel('单位名称').inputValue(), '白云区浏览器测试中心');
    assert.equal(await dialog.getByLabel('联系人').inputValue(), '测试员');
    assert.equal(await dialog.getByLabel('联系电话').inputValue(), '12345');
    assert.equal(await dialog.locator('.el-form-item__error').count(), 1, 'only the phone is wrong');

    await dialog.getByLabel('联系电话').fill('020-86123456');
    await phoneError.waitFor({ state: 'detached' });
    await dialog.locator('[data-test="unit-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.el-message--success').waitFor();
    const row = page.locator('[data-test="units-table"] .el-table__row', { hasText: '白云区浏览器测试中心' });
    await row.waitFor();

    // Edit: the dialog opens with the saved values; a change shows in the table.
    await row.getByRole('button', { name: '编辑' }).click();
    const edit = page.getByRole('dialog', { name: '编辑单位' });
    assert.equal(await edit.getByLabel('单位名称').inputValue(), '白云区浏览器测试中心');
    assert.equal(await edit.getByLabel('联系电话').inputValue(), '020-86123456');
    await seeText(selectBox(edit, '所在区划'), '三元里街道');
    await edit.getByLabel('联系人').fill('测试员乙');
    await edit.locator('[data-test="unit-save"]').click();
    await edit.waitFor({ state: 'hidden' });
    await seeText(row, '测试员乙');

    // Filters live in the URL: search, then back returns to the full list.
    await page.getByLabel('关键词').fill('浏览器测试');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    await page.waitForFunction(() => document.querySelectorAll('[data-test="units-table"] .el-table__row').length === 1);
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('q='));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="units-table"] .el-table__row').length > 1);
  });
});

test('logging out ends the session and protects the console pages', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.locator('[data-test="user-menu"]').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/admin\/login/);
    await seeText(page.locator('.lg-panel'), '您已安全退出');
    await page.goto(`${srv.url}/admin/units`);
    await page.waitForURL((u) => u.pathname === "/admin/login" && u.searchParams.get("redirect") === "/units");
  });
});

test('a member logging in to the console is sent to the mobile pages', async (t) => {
  await withPage(t, browser, {}, async (page) => {
    await loginConsole(page, srv.url, 'member');
    await page.waitForURL(/\/admin\/mobile-only/);
    const link = page.getByRole('link', { name: '前往手机端' });
    assert.equal(await link.getAttribute('href'), '/m/');
  });
});
