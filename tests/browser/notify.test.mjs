// notify.test.mjs: 消息 on the phone (the tab's badge, the inbox, a tap opens what it is about, 消息设置) and the
// console's bell (the count, the drawer, a click leads to the wish)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginConsole, loginMobile, seeText, path } from './helpers.mjs';
import { reportedMember } from '../api/serving-people.mjs';

const SHILIUQIAO = '440111002011';
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true };
const env = serverAndBrowser({ clock: Math.floor(Date.now() / 1000) });

test('a member sees the report-in approved on the 消息 tab, opens it, and turns a kind off', async (t) => {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  await reportedMember(env.srv, 'notify_phone', SHILIUQIAO, staff);
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'notify_phone');
    await seeText(page.locator('[data-test="tab-messages"]'), '1');
    await page.locator('[data-test="tab-messages"]').click();
    await page.waitForURL((u) => u.pathname === '/m/messages');
    await seeText(page.locator('[data-test="message"]').first(), '报到已通过：石榴桥社区');
    await page.locator('[data-test="message"]').first().click();
    await page.waitForURL((u) => u.pathname === '/m/report');
    await page.goto(`${env.srv.url}/m/messages`);
    await seeText(page.locator('[data-test="message"]').first(), '报到审核通过');
    assert.equal(await page.locator('.bd-unread').count(), 0, 'read now');
    await page.getByRole('link', { name: '消息设置' }).or(page.getByRole('button', { name: '消息设置' })).click();
    await page.waitForURL((u) => u.pathname === '/m/messages/prefs');
    await page.getByRole('switch', { name: '活动取消 站内消息' }).click();
    await page.locator('[data-test="save-prefs"]').click();
    await seeText(page.locator('.van-toast'), '已保存');
  });
  const me = new Client(env.srv.url);
  await me.login('notify_phone');
  const prefs = (await me.get('/api/v1/me/notify-prefs')).json;
  assert.ok(!prefs.in_app.includes('activity_cancelled'));
  assert.ok(prefs.in_app.includes('signup_confirmed'));
});

test('staff see a claimed wish on the bell and go to it', async (t) => {
  const staff = new Client(env.srv.url);
  await staff.login('staff');
  const w = await staff.post('/api/v1/wishes', { community_code: SHILIUQIAO, beneficiary_name: '李奶奶', title: '一台收音机',
    description: '听戏用', value_cap: 200, consent: true, publish: true });
  assert.equal(w.status, 201, w.text);
  const m = await reportedMember(env.srv, 'notify_claimer', SHILIUQIAO, staff);
  assert.equal((await m.client.post(`/api/v1/wishes/${w.json.id}/claim`, { as: 'member' })).status, 200);
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    const bell = page.locator('[data-test="bell"]');
    await seeText(bell, '1');
    assert.equal(await bell.getAttribute('aria-label'), '消息通知，1 条未读');
    await bell.click();
    await seeText(page.locator('[data-test="message"]').first(), '微心愿已被认领：一台收音机');
    await page.locator('[data-test="message"]').first().click();
    await page.waitForURL((u) => u.pathname === '/admin/wishes');
    assert.equal(path(page), '/admin/wishes?state=claimed');
    await seeText(page.locator('.el-table'), '一台收音机');
    await page.waitForFunction(() => !document.querySelector('[data-test="bell"]').textContent.includes('1'));
  });
});
