// member-edit.test.mjs: 编辑档案 on the member file: staff correct a file (pre-filled dialog, PUT, the page shows
// the new file), the server's 422 under its field, 403 in the dialog, the button only for staff and admin, axe, 1280 px
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, seeText, idNumber, WEB, ADMIN_PASSWORD } from './helpers.mjs';

const SHILIUQIAO = '440111002011';
let srv;
let browser;
let staff;
let file; // 石榴桥社区, approved
let gone; // 石榴桥社区 only holds its history (退出报到): staff may read it, not correct it
let building;
const ID = idNumber('440111', '19850612', '131');
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
  staff = new Client(srv.url);
  await staff.login('staff');
  // A grid with one building in the community, for the 楼栋 select.
  const grid = await staff.post(`/api/v1/regions/${SHILIUQIAO}/children`, { name: '第一网格' });
  assert.equal(grid.status, 201, grid.text);
  const b = await staff.post(`/api/v1/regions/${grid.json.code}/children`, { name: '华兴苑 9 栋' });
  assert.equal(b.status, 201, b.text);
  building = b.json;
  // Staff types in the members (代录: approved at once).
  let r = await staff.post('/api/v1/members', {
    name: '改档测试', phone: '13900007001', id_number: ID, community_code: SHILIUQIAO, unit_id: 2,
    position: '护士', specialties: '医疗,心理咨询', address: '华兴苑 8 栋 302',
  });
  assert.equal(r.status, 201, r.text);
  file = r.json;
  r = await staff.post('/api/v1/members', {
    name: '已迁出者', phone: '13900007011', id_number: idNumber('440111', '19800101', '153'), community_code: SHILIUQIAO,
    address: '华兴苑 1 栋',
  });
  assert.equal(r.status, 201, r.text);
  gone = r.json;
  r = await staff.post(`/api/v1/members/${gone.member.id}/leave`, { reason: '已搬离本社区' });
  assert.equal(r.status, 200, r.text);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Runs axe; fails on critical violations, reports the others as diagnostics (as a11y.test.mjs does).
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) {
    t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}

async function openEdit(page, id) {
  await page.goto(`${srv.url}/admin/members/${id}`);
  await page.locator('[data-test="timeline"]').waitFor();
  await page.locator('[data-test="member-edit"]').click();
  const dialog = page.getByRole('dialog', { name: '编辑档案' });
  await dialog.locator('[data-test="member-edit-form"]').waitFor();
  return dialog;
}

const server = async (id) => (await staff.get(`/api/v1/members/${id}`)).json.member;

test('staff correct a file: pre-filled dialog, save, the page shows the new file; a bad phone is refused at its field', async (t) => {
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members`);
    await page.locator('[data-test="members-table"]').getByRole('link', { name: '改档测试' }).click();
    await page.waitForURL(new RegExp(`/admin/members/${file.member.id}$`));
    await page.locator('[data-test="member-edit"]').click();
    const dialog = page.getByRole('dialog', { name: '编辑档案' });
    await dialog.locator('[data-test="member-edit-form"]').waitFor();

    // Who the member is: shown, not editable. The fields come from the file.
    const who = dialog.locator('[data-test="member-edit-who"]');
    for (const text of ['改档测试', `4401**********${ID.slice(-4)}`, '石榴桥社区', '不能在此修改']) await seeText(who, text);
    assert.equal(await dialog.getByLabel('手机号').inputValue(), '13900007001');
    assert.equal(await dialog.getByLabel('详细地址').inputValue(), '华兴苑 8 栋 302');
    assert.equal(await dialog.getByLabel('职务').inputValue(), '护士');
    await seeText(dialog.locator('[data-test="field-specialties"]'), '心理咨询');
    assert.equal(await dialog.getByLabel('姓名').count(), 0, 'the name is no input');
    assert.equal(await dialog.getByLabel('身份证号').count(), 0, 'the ID number is no input');

    await dialog.getByLabel('手机号').fill('13900007002');
    await dialog.locator('[data-test="field-specialties"] .el-select__wrapper').click();
    await page.getByRole('option', { name: '法律' }).click();
    await dialog.locator('.el-dialog__title').click(); // closes the (multiple) select's list
    await page.getByRole('option', { name: '法律' }).waitFor({ state: 'hidden' });
    await dialog.locator('#med-building').click();
    await page.getByRole('option', { name: '第一网格 华兴苑 9 栋' }).click();
    await dialog.getByLabel('详细地址').fill('华兴苑 9 栋 1101');
    await axe(t, page);

    await dialog.locator('[data-test="member-edit-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await seeText(page.locator('.el-message--success'), '已保存 改档测试 的档案');
    const main = page.locator('main');
    for (const text of ['13900007002', '华兴苑 9 栋 1101', '法律', '心理咨询', '三元里街社区卫生服务中心', '护士']) {
      await seeText(main, text);
    }
    // 楼栋 by its name, never the raw code.
    await seeText(main.locator('[data-test="building"]'), '华兴苑 9 栋');
    assert.equal(await main.getByText(building.code).count(), 0, 'no raw building code on the page');
    assert.equal(await main.getByText('13900007001').count(), 0, 'the old phone is gone from the page');
    let now = await server(file.member.id);
    assert.equal(now.phone, '13900007002');
    assert.equal(now.address, '华兴苑 9 栋 1101');
    assert.deepEqual(now.specialties.split(',').sort(), ['医疗', '心理咨询', '法律'].sort());
    assert.equal(now.building_code, building.code);
    assert.equal(now.unit_id, 2);
    assert.equal(now.name, '改档测试');

    // An invalid phone: the server's 422 sits under the phone field, the dialog stays, nothing is saved.
    await page.locator('[data-test="member-edit"]').click();
    await dialog.locator('[data-test="member-edit-form"]').waitFor();
    assert.equal(await dialog.getByLabel('手机号').inputValue(), '13900007002', 'the dialog is filled from the saved file');
    await dialog.getByLabel('手机号').fill('12345678901');
    await dialog.getByLabel('详细地址').fill('不该保存的地址');
    await dialog.locator('[data-test="member-edit-save"]').click();
    await seeText(dialog.locator('[data-test="field-phone"] .el-form-item__error'), '应为 11 位手机号');
    assert.equal(await dialog.locator('.el-form-item__error').count(), 1, 'only the phone has an error');
    assert.equal(await dialog.isVisible(), true);
    assert.equal(await dialog.getByLabel('详细地址').inputValue(), '不该保存的地址', 'input is kept');
    await page.mouse.move(0, 0); // no hover colour on 保存
    await axe(t, page);
    // Editing the field clears the complaint.
    await dialog.getByLabel('手机号').fill('1390000700');
    await dialog.locator('[data-test="field-phone"] .el-form-item__error').waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await seeText(main, '13900007002');
    await seeText(main, '华兴苑 9 栋 1101');
    now = await server(file.member.id);
    assert.equal(now.phone, '13900007002');
    assert.equal(now.address, '华兴苑 9 栋 1101');
  });
});

test('the dialog fits a 1280 px screen', async (t) => {
  await withPage(t, browser, { width: 1280, height: 800 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    const dialog = await openEdit(page, file.member.id);
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 1280, `dialog from ${box.x} to ${box.x + box.width} in 1280 px`);
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${scroll}px wide in a ${inner}px window`);
    // Two fields a row: the phone and the unit side by side would not fit otherwise; all of the form reachable.
    const save = dialog.locator('[data-test="member-edit-save"]');
    await save.scrollIntoViewIfNeeded();
    assert.equal(await save.isVisible(), true);
    const sb = await save.boundingBox();
    assert.ok(sb.x + sb.width <= 1280);
  });
});

test('staff whose community only holds the history: the server\'s 403 shows in the dialog, the page stays', async (t) => {
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    const dialog = await openEdit(page, gone.member.id);
    await seeText(page.locator('[data-test="member-state"]'), '已退出');
    await dialog.getByLabel('详细地址').fill('越权修改的地址');
    await dialog.locator('[data-test="member-edit-save"]').click();
    const problem = dialog.locator('[data-test="member-edit-problem"]');
    await seeText(problem, '没有权限进行此操作');
    await seeText(problem, '当前报到');
    await axe(t, page);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await seeText(page.locator('main'), '华兴苑 1 栋');
    await seeText(page.locator('[data-test="timeline"]'), '原因：已搬离本社区');
    assert.equal((await server(gone.member.id)).address, '华兴苑 1 栋');
    // Opened again, the dialog starts clean.
    await page.locator('[data-test="member-edit"]').click();
    await dialog.locator('[data-test="member-edit-form"]').waitFor();
    assert.equal(await dialog.locator('[data-test="member-edit-problem"]').count(), 0);
    assert.equal(await dialog.getByLabel('详细地址').inputValue(), '华兴苑 1 栋');
  });
});

test('编辑档案 is there for admin, not for org', async (t) => {
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'org');
    await page.goto(`${srv.url}/admin/members/${file.member.id}`);
    await page.locator('[data-test="timeline"]').waitFor();
    await seeText(page.locator('main'), '改档测试');
    assert.equal(await page.locator('[data-test="member-edit"]').count(), 0);
  });
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'admin', ADMIN_PASSWORD);
    const dialog = await openEdit(page, file.member.id);
    await dialog.getByLabel('职务').fill('护士长');
    await dialog.locator('[data-test="member-edit-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await seeText(page.locator('main'), '护士长');
    assert.equal((await server(file.member.id)).position, '护士长');
  });
});
