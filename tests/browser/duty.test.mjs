// duty.test.mjs: 值守排班 in the console and 我的值班 on the phone: staff create a post and a week of shifts, the grid
// shows them 0/1; a member signs up to one on the phone; the staff's grid shows the member's name, staff close the shift
// after it ends and the member sees 已值班 with a pending record
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText } from './helpers.mjs';
import { reportedMember } from '../api/serving-people.mjs';

const SHILIUQIAO = '440111002011';
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const env = serverAndBrowser({ clock: Math.floor(Date.now() / 1000) });

// The Monday (China time) of the week after today's, as YYYY-MM-DD.
function nextMonday() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const wd = (now.getUTCDay() + 6) % 7; // 0: Monday
  return new Date(now.getTime() + (7 - wd) * 86400000).toISOString().slice(0, 10);
}

test('staff make a week of gate shifts; a member signs up on the phone; staff see the name and close the shift', async (t) => {
  const monday = nextMonday();
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const item = (await staff.get(`/api/v1/catalog?region=${SHILIUQIAO}`)).json.items.find((i) => i.category === 'post' && !(i.fields || []).length);
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.locator('.cl-side .el-menu-item', { hasText: '值守排班' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/duty');
    await seeText(page.locator('h1'), '值守排班');
    await page.locator('[data-test="dv-new-post"]').click();
    await page.getByLabel('岗位名称').fill('门岗');
    await page.getByLabel('服务项目（值班记录用）').click();
    await page.locator('.el-select-dropdown__item', { hasText: item.name }).first().click();
    await page.locator('[data-test="dv-save-post"]').click();
    await seeText(page.locator('[data-test="dv-grid"]'), '门岗');
    await page.goto(`${env.srv.url}/admin/duty?week=${monday}`);
    await seeText(page.locator('[data-test="dv-week"]'), monday);
    await page.locator('[data-test="dv-new-shifts"]').first().click();
    await page.locator('[data-test="dv-save-shifts"]').click();
    await seeText(page.locator('.el-message'), '新排 7 个班次');
    await seeText(page.locator('[data-test="dv-grid"]'), '0/1 人');
    assert.equal(await page.locator('[data-test="dv-shift"]').count(), 7);
  });
  const week = (await staff.get(`/api/v1/communities/${SHILIUQIAO}/duty?week=${monday}`)).json;
  const first = week.posts.find((p) => p.name === '门岗').shifts[0];

  // A member of 石榴桥, approved, signs up on the phone.
  const member = await reportedMember(env.srv, 'duty_phone', SHILIUQIAO, staff);
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'duty_phone');
    await page.goto(`${env.srv.url}/m/mine/shifts`);
    await seeText(page.locator('[data-test="shifts-none"]'), '还没有值班安排');
    // The open shifts of this week, then the next.
    await page.getByRole('button', { name: '下一周' }).click();
    await page.locator(`[data-test="open-${first.id}"] [data-test="shift-signup"]`).click();
    await seeText(page.locator('[data-test="my-shifts"]'), '门岗');
    await seeText(page.locator('[data-test="my-shifts"]'), '已报名');
  });
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/duty?week=${monday}`);
    await seeText(page.locator('[data-test="dv-grid"]'), member.name);
    await seeText(page.locator('[data-test="dv-grid"]'), '1/1 人');
  });
  // After the end the shift closes: the member did not check in, so a no-show shows in the console.
  env.srv.setClock(first.ends_at + 60);
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.goto(`${env.srv.url}/admin/duty?week=${monday}`);
    await page.locator('[data-test="dv-shift"]').first().click();
    await seeText(page.locator('[data-test="dv-people"]'), member.name);
    await page.locator('[data-test="dv-close"]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await seeText(page.locator('.el-message'), '1 人缺勤');
    await seeText(page.locator('[data-test="dv-no-shows"]'), member.name);
  });
});
