// units-work.test.mjs: batch approval of a unit's report-ins, the unit roster with 未报到, co-building agreements
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, seeText, idNumber, confirmBox, path, WEB } from './helpers.mjs';

let srv;
let browser;
const A = idNumber('440111', '19830808', '151');
const B = idNumber('440111', '19840909', '262');
const C = idNumber('440111', '19750505', '373'); // on the roster, never reported
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
  // The unit reports two of its members (整建制报到): both wait for the community.
  const unit = new Client(srv.url);
  await unit.login('unit');
  for (const [name, id, phone] of [['单位甲', A, '13900006001'], ['单位乙', B, '13900006002']]) {
    const r = await unit.post('/api/v1/members', { name, phone, id_number: id, community_code: '440111002011', unit_id: 2 });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const rowsOf = (table) => table.locator('.el-table__body-wrapper tr.el-table__row');

test('staff approves two report-ins at once and sees each outcome', async (t) => {
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/approvals`);
    const table = page.locator('[data-test="approvals-table"]');
    await seeText(table, '单位甲');
    await seeText(table, '单位代报');
    for (const name of ['单位甲', '单位乙']) {
      await rowsOf(table).filter({ hasText: name }).locator('.el-checkbox').click();
    }
    await seeText(page.locator('[data-test="approve-selected"]'), '批量通过（2）');
    await page.locator('[data-test="approve-selected"]').click();
    await confirmBox(page, '通过');
    const results = page.getByRole('dialog', { name: '批量审核结果' });
    await seeText(results, '通过 2 条');
    assert.equal(await results.locator('.el-tag', { hasText: '已通过' }).count(), 2);
    await results.getByRole('button', { name: '确定' }).click();
    await seeText(table, '没有待审核的报到');
  });
});

test('the unit uploads its roster (check, then save) and filters the members who have not reported', async (t) => {
  const csv = `姓名,身份证号,职务\n单位甲,${A},医生\n单位丙,${C},护士\n坏行,12345,司机\n`;
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'unit');
    await page.locator('.cl-side').getByText('党员名册').click();
    await page.waitForURL(/\/admin\/roster/);
    await page.locator('[data-test="sheet-input"]').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-test="roster-check"]').click();
    await seeText(page.locator('[data-test="sum-valid"]'), '2');
    const errs = page.locator('[data-test="sheet-errors"] .el-table__body tr');
    await seeText(errs.first(), '4');
    await seeText(errs.first(), '身份证号');
    await page.locator('[data-test="roster-commit"]').click();
    await seeText(page.locator('.el-message--success'), '新增 2 人');

    const table = page.locator('[data-test="roster-table"]');
    await seeText(rowsOf(table).filter({ hasText: '单位甲' }), '已报到');
    await seeText(rowsOf(table).filter({ hasText: '单位丙' }), '未报到');
    await page.locator('[data-test="not-reported"]').click();
    await page.waitForURL(/status=not_reported/);
    await seeText(table, '单位丙');
    assert.equal(await rowsOf(table).filter({ hasText: '单位甲' }).count(), 0);
    assert.equal(await rowsOf(table).count(), 1);
    // The filter is in the URL: a reload keeps it.
    await page.reload();
    await seeText(table, '单位丙');
    assert.match(path(page), /status=not_reported/);
  });
});

test('staff writes a co-building agreement: 422 errors at the commitment line and the date; the unit reads it', async (t) => {
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/agreements`);
    await page.locator('[data-test="agreement-create"]').click();
    const dialog = page.getByRole('dialog', { name: '新建协议' });
    await dialog.locator('#ag-unit').click();
    await page.getByRole('option', { name: '三元里街社区卫生服务中心' }).click();
    await dialog.getByPlaceholder('选择日期').first().fill('2026-06-01');
    await page.keyboard.press('Enter');
    await dialog.getByPlaceholder('选择日期').last().fill('2026-01-01');
    await page.keyboard.press('Enter');
    await dialog.getByRole('textbox', { name: '第 1 条' }).fill('每季度到社区开展一次义诊');
    await dialog.getByRole('button', { name: '添加一条承诺' }).click();
    await dialog.locator('[data-test="agreement-save"]').click();

    // The server's commitments[1] error sits under line 2; ends_on under 结束日期; input kept.
    const line2 = dialog.locator('[data-test="commitments"] li').nth(1);
    await seeText(line2.locator('[data-test="line-error"]'), /\S/);
    assert.equal(await dialog.locator('[data-test="commitments"] li').first().locator('[data-test="line-error"]').count(), 0);
    const endItem = dialog.locator('.el-form-item', { has: page.locator('.el-form-item__label', { hasText: '结束日期' }) });
    await seeText(endItem.locator('.el-form-item__error'), '结束日期');
    assert.equal(await dialog.getByRole('textbox', { name: '第 1 条' }).inputValue(), '每季度到社区开展一次义诊');

    await line2.getByRole('textbox').fill('结对帮扶 5 户困难家庭');
    await dialog.getByPlaceholder('选择日期').last().fill('2026-12-31');
    await page.keyboard.press('Enter');
    await dialog.getByText('已签订').click();
    await dialog.getByLabel('签订文书').fill('石共建〔2026〕3号');
    await dialog.locator('[data-test="agreement-save"]').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = rowsOf(page.locator('[data-test="agreements-table"]')).filter({ hasText: '三元里街社区卫生服务中心' });
    await seeText(row, '2026-06-01 ~ 2026-12-31');
    await seeText(row, '已签订');
    await seeText(row, '2 条承诺');
  });

  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'unit');
    await page.goto(`${srv.url}/admin/agreements`);
    const row = rowsOf(page.locator('[data-test="agreements-table"]')).filter({ hasText: '石榴桥社区' });
    await seeText(row, '已签订');
    assert.equal(await page.locator('[data-test="agreement-create"]').count(), 0, 'a unit cannot create');
    await row.getByRole('button', { name: '查看' }).click();
    const dialog = page.getByRole('dialog', { name: '查看协议' });
    assert.equal(await dialog.getByRole('textbox', { name: '第 2 条' }).inputValue(), '结对帮扶 5 户困难家庭');
    assert.equal(await dialog.getByRole('textbox', { name: '第 2 条' }).isDisabled(), true);
    assert.equal(await dialog.locator('[data-test="agreement-save"]').count(), 0);
  });
});
