// report.test.mjs: a member reports in on the phone, staff approves in the console, the member sees 已报到
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { startServer } from '../lib/server.mjs';
import {
  requireBuild, launch, withPage, loginMobile, loginConsole, seeText, path, confirmBox, WEB, ADMIN_PASSWORD,
} from './helpers.mjs';

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

const PHONE = { width: 390, height: 844, isMobile: true };

async function pickCommunity(page, text, name) {
  await page.locator('[data-test="community-field"]').click();
  const search = page.locator('[data-test="community-search"] input');
  await search.waitFor();
  await search.fill(text);
  await page.getByRole('button', { name: `选择 ${name}` }).click();
  await page.waitForFunction((n) => document.querySelector('[data-test="community-field"] input')?.value === n, name);
}

// The work-unit picker: the same kind of sheet, over /api/v1/units/directory.
async function pickUnit(page, text, name) {
  await page.locator('[data-test="unit-field"]').click();
  const search = page.locator('[data-test="unit-search"] input');
  await search.waitFor();
  await search.fill(text);
  await page.locator('[data-test="unit-results"]').getByRole('button', { name: `选择 ${name}` }).click();
  await page.waitForFunction((n) => document.querySelector('[data-test="unit-field"] textarea')?.value === n, name);
}

test('member reports in on the phone; a wrong check digit is shown at the field; staff approves; 已报到', async (t) => {
  await withPage(t, browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.locator('[data-test="tile-report"]').click();
    // No file yet: 我的报到 sends the member straight to the form.
    await page.waitForURL(/\/m\/report\/new$/);
    const form = page.locator('[data-test="report-form"]');
    await form.waitFor();

    // A wrong check digit: the server's message under the ID field, the typed name kept.
    await page.getByLabel('姓名').fill('王党员');
    await page.getByLabel('手机号').fill('13800000005');
    await page.getByLabel('身份证号').fill('440111199003071233');
    await form.getByRole('radio', { name: '男' }).click();
    await pickCommunity(page, '石榴桥', '石榴桥社区');
    await page.getByLabel('详细地址').fill('华兴苑 3 栋 201');
    // The work unit (optional): search 卫生, tap the result; its street is shown under it.
    await pickUnit(page, '卫生', '三元里街社区卫生服务中心');
    await seeText(page.locator('[data-test="unit-region"]'), '三元里街道');
    await form.getByRole('button', { name: '医疗' }).click();
    await page.locator('[data-test="report-submit"]').click();
    const idError = page.locator('[data-test="id-field"] .van-field__error-message');
    await seeText(idError, '校验位');
    assert.equal(await page.getByLabel('姓名').inputValue(), '王党员');
    assert.equal(await page.getByLabel('详细地址').inputValue(), '华兴苑 3 栋 201');
    assert.equal(await page.locator('[data-test="unit-field"] textarea').inputValue(), '三元里街社区卫生服务中心');
    assert.equal(path(page), '/m/report/new', 'still on the form');

    // Fixed: submitted, waiting for the community.
    await page.getByLabel('身份证号').fill('440111199003071232');
    assert.equal(await idError.count(), 0, 'editing the field clears its error');
    await page.locator('[data-test="report-submit"]').click();
    await page.waitForURL(/\/m\/report$/);
    await seeText(page.locator('[data-test="report-status"]'), '等待社区审核');
    await seeText(page.locator('[data-test="report-status"]'), '石榴桥社区');
    await seeText(page.locator('[data-test="timeline"]'), '提交报到');
    await page.locator('[data-test="withdraw"]').waitFor();

    // Staff, on a computer, approves it from the queue.
    await withPage(t, browser, { width: 1440, height: 900 }, async (staff) => {
      await loginConsole(staff, srv.url, 'staff');
      await staff.locator('.cl-side').getByText('报到审核').click();
      await staff.waitForURL(/\/admin\/approvals/);
      const row = staff.locator('[data-test="approvals-table"] .el-table__body-wrapper tr', { hasText: '王党员' });
      await row.waitFor();
      await seeText(row, '4401**********1232');
      await seeText(row, '本人提交');
      await row.locator('[data-test="approve"]').click();
      await confirmBox(staff, '通过');
      await seeText(staff.locator('.el-message--success'), '王党员');
      await row.waitFor({ state: 'detached' });
    });

    // The member reloads: 已报到, with the community; the timeline has the approval.
    await page.reload();
    const status = page.locator('[data-test="report-status"]');
    await seeText(status, '已报到');
    await seeText(status, '石榴桥社区');
    await seeText(page.locator('[data-test="timeline"]'), '审核通过');
    await page.locator('[data-test="move"]').waitFor();

    // 我的档案 from 我的: read-only, the ID number masked.
    await page.goto(`${srv.url}/m/mine`);
    await page.locator('[data-test="my-file"]').click();
    await page.waitForURL(/\/m\/mine\/file/);
    await seeText(page.locator('[data-test="my-id"]'), '4401**********1232');
    // The work unit picked on the form is on the file.
    await seeText(page.locator('.van-cell', { hasText: '工作单位' }), '三元里街社区卫生服务中心');
    assert.equal(await page.getByText('440111199003071232').count(), 0, 'the full ID number is never shown');
  });
});

test('moving: an approved member reports to a new community; staff sees 从 X 转入 and can refuse it with a reason', async (t) => {
  await withPage(t, browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.goto(`${srv.url}/m/report`);
    await page.locator('[data-test="move"]').click();
    await page.waitForURL(/\/m\/report\/new\?transfer=1/);
    await seeText(page.locator('main'), '转到新社区');
    // The file's details are filled in; the ID number is typed again.
    assert.equal(await page.getByLabel('姓名').inputValue(), '王党员');
    await page.waitForFunction(() => document.querySelector('[data-test="unit-field"] textarea')?.value === '三元里街社区卫生服务中心');
    await page.getByLabel('身份证号').fill('440111199003071232');
    await pickCommunity(page, '三元里东约', '三元里东约社区');
    await page.locator('[data-test="report-submit"]').click();
    await page.waitForURL(/\/m\/report$/);
    await seeText(page.locator('[data-test="report-status"]'), '等待社区审核');
    await seeText(page.locator('[data-test="report-status"]'), '从石榴桥社区转入');
  });

  // The admin sees the transfer in the queue and refuses it (a reason is required).
  await withPage(t, browser, { width: 1440, height: 900 }, async (page) => {
    await loginConsole(page, srv.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${srv.url}/admin/approvals`);
    const row = page.locator('[data-test="approvals-table"] .el-table__body-wrapper tr', { hasText: '王党员' });
    await seeText(row.locator('[data-test="transfer"]'), '从 石榴桥社区 转入');
    await row.locator('[data-test="reject"]').click();
    const box = page.locator('.el-message-box');
    await box.getByRole('button', { name: '不通过' }).click();
    await seeText(box.locator('.el-message-box__errormsg'), '请填写原因');
    await box.locator('textarea').fill('地址不在本社区');
    await box.getByRole('button', { name: '不通过' }).click();
    await box.waitFor({ state: 'hidden' });
    await row.waitFor({ state: 'detached' });
  });

  await withPage(t, browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.goto(`${srv.url}/m/report`);
    // The refused transfer: the member is still 已报到 in 石榴桥社区; the timeline says why.
    await seeText(page.locator('[data-test="timeline"]'), '地址不在本社区');
  });
});

// Runs after the tests above: the member has a file with the work unit picked on the first report-in.
test('work unit picker in 大字模式: pre-filled from the file, clear, search, an unknown unit shown at the field, none sent when cleared', async (t) => {
  await withPage(t, browser, PHONE, async (page) => {
    await loginMobile(page, srv.url, 'member');
    await page.evaluate(() => localStorage.setItem('baodao.largeFont', '1'));
    await page.goto(`${srv.url}/m/report/new`);
    await page.locator('[data-test="report-form"]').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('bd-large')), true);
    const field = page.locator('[data-test="unit-field"]');
    const input = field.locator('textarea');
    await page.waitForFunction(() => document.querySelector('[data-test="unit-field"] textarea')?.value === '三元里街社区卫生服务中心');
    await seeText(page.locator('[data-test="unit-region"]'), '三元里街道');

    // Large font still lays out: nothing wider than the phone, the 清除 button inside the screen and big enough to tap.
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(await fits(), 'no sideways scrolling in 大字模式');
    const clear = page.getByRole('button', { name: '清除已选的工作单位' });
    const box = await clear.boundingBox();
    assert.ok(box && box.x + box.width <= 390 && box.height >= 40, `清除 button on screen and large (${JSON.stringify(box)})`);

    // Clearing empties the field and shows the hint; it never opens the sheet.
    await clear.click();
    assert.equal(await input.inputValue(), '');
    await seeText(page.locator('[data-test="unit-hint"]'), '可以不选');
    assert.equal(await page.locator('[data-test="unit-search"]').isVisible().catch(() => false), false);

    // The sheet: a word that finds nothing says so; 卫生 finds the centre with its street as the second line.
    await field.click();
    const search = page.locator('[data-test="unit-search"] input');
    await search.waitFor();
    await seeText(page.locator('.rf-sheet'), '选择工作单位');
    await search.fill('没有这个单位');
    await seeText(page.locator('.rf-sheet'), '没有找到这个单位');
    await search.fill('卫生');
    const result = page.locator('[data-test="unit-results"]').getByRole('button', { name: '选择 三元里街社区卫生服务中心' });
    await seeText(result, '三元里街道');
    assert.ok(await fits(), 'the sheet fits the phone in 大字模式');
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
    assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
    await result.click();
    await page.waitForFunction(() => document.querySelector('[data-test="unit-field"] textarea')?.value === '三元里街社区卫生服务中心');
    await seeText(page.locator('[data-test="unit-region"]'), '三元里街道');

    // A unit that no longer exists (the request's unit_id changed on the way): the server's 422 under the field.
    const sent = [];
    await page.route('**/api/v1/me/registration', async (route) => {
      const body = route.request().postDataJSON();
      sent.push(body);
      if (sent.length === 1) await route.continue({ postData: JSON.stringify({ ...body, unit_id: 999999 }) });
      else await route.continue();
    });
    await page.getByLabel('身份证号').fill('440111199003071232');
    await page.locator('[data-test="report-submit"]').click();
    await seeText(field.locator('.van-field__error-message'), '单位不存在');
    assert.equal(sent[0].unit_id > 0, true, 'the picked unit is sent');
    assert.equal(path(page), '/m/report/new', 'still on the form');

    // Cleared: the error goes and no unit_id is sent (a wrong check digit keeps this a dry run).
    await clear.click();
    assert.equal(await field.locator('.van-field__error-message').count(), 0, 'clearing the unit clears its error');
    await page.getByLabel('身份证号').fill('440111199003071233');
    await page.locator('[data-test="report-submit"]').click();
    await seeText(page.locator('[data-test="id-field"] .van-field__error-message'), '校验位');
    assert.equal(sent.length, 2);
    assert.equal('unit_id' in sent[1], false, 'no unit_id when none is chosen');
  });
});
