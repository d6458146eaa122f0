// member-file.test.mjs: 一人一档 page: fields, timeline, the reveal dialog (reason required), the printable receipt
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { requireBuild, launch, withPage, loginConsole, seeText, idNumber, WEB, ADMIN_PASSWORD } from './helpers.mjs';

let srv;
let browser;
let file;
const ID = idNumber('440111', '19870315', '111');
before(async () => {
  requireBuild();
  srv = await startServer({ web: WEB });
  browser = await launch();
  // Staff types in a member (代录: approved at once).
  const staff = new Client(srv.url);
  await staff.login('staff');
  const r = await staff.post('/api/v1/members', {
    name: '档案测试', phone: '13900003001', id_number: ID, community_code: '440111002011', unit_id: 2,
    position: '医生', specialties: '医疗,心理咨询', address: '华兴苑 8 栋 302', plaque_hung: true, plaque_on: '2026-05-01',
  });
  assert.equal(r.status, 201, r.text);
  file = r.json;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the member file shows every part; 查看完整身份证号 needs a reason, then shows the number', async (t) => {
  await withPage(t, browser, { width: 1920, height: 1080 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members`);
    await page.locator('[data-test="members-table"]').getByRole('link', { name: '档案测试' }).click();
    await page.waitForURL(new RegExp(`/admin/members/${file.member.id}$`));
    await seeText(page.locator('[data-test="member-state"]'), '已报到');
    const main = page.locator('main');
    for (const text of ['三元里街社区卫生服务中心', '华兴苑 8 栋 302', '心理咨询', '1987-03-15', '石榴桥社区']) await seeText(main, text);
    await seeText(page.locator('[data-test="id-number"]'), `4401**********${ID.slice(-4)}`);
    await seeText(page.locator('[data-test="timeline"]'), '审核通过');
    await seeText(page.locator('[data-test="timeline"]'), '社区代录');
    await seeText(main, '查看将被记录');

    await page.locator('[data-test="reveal"]').click();
    const dialog = page.getByRole('dialog', { name: '查看完整身份证号' });
    await seeText(dialog, '查看将被记录');
    // No reason: refused at the field, nothing shown.
    await dialog.locator('[data-test="reveal-confirm"]').click();
    await seeText(dialog.locator('.el-form-item__error'), '请填写查看原因');
    assert.equal(await dialog.locator('[data-test="revealed-number"]').count(), 0);
    await dialog.getByLabel('查看原因').fill('核对报到信息');
    await dialog.locator('[data-test="reveal-confirm"]').click();
    await seeText(dialog.locator('[data-test="revealed-number"]'), ID);
    await dialog.getByRole('button', { name: '关闭' }).last().click();
    await seeText(page.locator('[data-test="id-number"]'), ID);

    // The reveal is in the audit log with the reason (org or admin read it; here through the API as admin).
    const admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const audit = await admin.get('/api/v1/audit?action=member.reveal');
    assert.equal(audit.json.total, 1);
  });
});

test('the receipt page renders the member and the receipt number, ready to print', async (t) => {
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members/${file.member.id}`);
    await page.locator('[data-test="receipt-link"]').click();
    await page.waitForURL(new RegExp(`/admin/members/${file.member.id}/receipt$`));
    const receipt = page.locator('[data-test="receipt"]');
    await seeText(receipt, '在职党员到社区报到回执');
    await seeText(receipt, '档案测试');
    await seeText(receipt, `4401**********${ID.slice(-4)}`);
    await seeText(receipt, '三元里街社区卫生服务中心');
    await seeText(page.locator('[data-test="receipt-no"]'), String(file.registration.id));
    await seeText(page.locator('[data-test="issuer"]'), '石榴桥社区');
    await seeText(receipt, '已报到');
    // Printing hides the console's menu and header and the toolbar.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.cl-side').isVisible(), false);
    assert.equal(await page.locator('.cl-header').isVisible(), false);
    assert.equal(await page.locator('[data-test="print"]').isVisible(), false);
    assert.equal(await receipt.isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await page.locator('[data-test="print"]').isVisible(), true);
  });
});

test('staff ends a report-in (退出) with a reason; the timeline shows it', async (t) => {
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'staff');
    await page.goto(`${srv.url}/admin/members/${file.member.id}`);
    await page.locator('[data-test="member-leave"]').click();
    const box = page.locator('.el-message-box');
    await box.getByRole('button', { name: '退出报到' }).click();
    await seeText(box.locator('.el-message-box__errormsg'), '请填写退出原因');
    await box.locator('input').fill('已搬离本社区');
    await box.getByRole('button', { name: '退出报到' }).click();
    await box.waitFor({ state: 'hidden' });
    await seeText(page.locator('[data-test="member-state"]'), '已退出');
    await seeText(page.locator('[data-test="timeline"]'), '原因：已搬离本社区');
    assert.equal(await page.locator('[data-test="member-leave"]').count(), 0);
  });
});
