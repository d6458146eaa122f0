// timebank.test.mjs: the time bank in the browser: a member redeems at 爱心超市 on the phone (大字模式), staff hand it over
// in the console (已领取), the phone then shows 已领取; hours given on the phone reach the resident's 我的时长; axe on each page
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { serverAndBrowser, withPage, loginMobile, loginConsole, seeText } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const WIDE = { width: 1440, height: 900 };
const MEMBER = '13800001011'; // 陈建国, 石榴桥社区: points and hours from the demo's confirmed records
const env = serverAndBrowser({ demo: 'full' });

// The page's own words for a number of minutes (shared/serving.js formatMinutes).
const minutesText = (n) => (n % 60 && n >= 60 ? `${Math.floor(n / 60)} 小时 ${n % 60} 分钟` : n >= 60 ? `${n / 60} 小时` : `${n} 分钟`);
const large = (page) => page.addInitScript(() => localStorage.setItem('baodao.largeFont', '1'));
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
async function axe(t, page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const v of violations) t.diagnostic(`${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
  assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
}
async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}
const get = async (c, path) => {
  const r = await c.get(`/api/v1${path}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('a member redeems on the phone, staff hand it over in the console, the phone shows 已领取', async (t) => {
  const member = await client(MEMBER);
  const before = await get(member, '/shelf-items');
  const oil = before.items.find((i) => i.name === '食用油 1.8L');
  assert.ok(oil && before.points >= oil.price, `the demo's member can afford 食用油 (${before.points} points)`);

  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/mine`);
    await page.locator('[data-test="my-shelf"]').click();
    await page.waitForURL(/\/m\/shelf$/);
    await seeText(page.locator('[data-test="my-points"]'), String(before.points));
    const card = page.locator(`[data-test="item-${oil.id}"]`);
    await seeText(card, '还剩');
    assert.ok(await fits(page), 'no sideways scrolling in 大字模式');
    await axe(t, page);
    // One tap, one confirmation.
    await card.getByRole('button', { name: `兑换：${oil.name}` }).click();
    await seeText(page.locator('.van-dialog'), `用 ${oil.price} 积分兑换“${oil.name}”`);
    await page.locator('.van-dialog').getByRole('button', { name: '确认兑换' }).click();
    await seeText(page.locator('.van-toast'), '兑换成功');
    await seeText(page.locator('[data-test="my-points"]'), String(before.points - oil.price));
    // The limit of one a month is reached: the button says why it waits.
    await seeText(card.locator('[data-test="why-not"]'), '本月已兑满');
    await page.locator('[data-test="to-redemptions"]').click();
    await page.waitForURL(/\/m\/mine\/redemptions$/);
    const mine = page.locator('[data-test^="redemption-"]', { hasText: oil.name }).first();
    await seeText(mine.locator('[data-test="redemption-state"]'), '待领取');
    assert.ok(await fits(page));
    await axe(t, page);
  });
  const waiting = (await get(member, '/me/redemptions')).items.find((d) => d.item_name === oil.name && d.state === 'awaiting');
  assert.ok(waiting, 'the server has it waiting');

  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.getByRole('menuitem', { name: '兑换领取' }).click();
    await page.waitForURL(/\/admin\/redemptions/);
    const row = page.locator('[data-test="redemptions-table"] .el-table__body tr', { hasText: oil.name });
    await seeText(row, '陈建国');
    await axe(t, page);
    await row.getByRole('button', { name: '已领取' }).click();
    await seeText(page.locator('.el-message-box'), `陈建国 已领取“${oil.name}”？`);
    await page.locator('.el-message-box').getByRole('button', { name: '已领取' }).click();
    await seeText(page.locator('.el-message--success'), `陈建国 已领取“${oil.name}”`);
    await row.waitFor({ state: 'detached' });
    // The handed-over tab names who handed it over.
    await page.locator('[data-test="redemption-state"] .el-radio-button', { hasText: '已领取' }).click();
    await seeText(page.locator('[data-test="redemptions-table"] .el-table__body tr', { hasText: oil.name }), '石榴桥社区党委 李社工');
  });
  assert.equal((await get(member, '/me/redemptions')).items.find((d) => d.id === waiting.id).state, 'handed_over');

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/mine/redemptions`);
    await seeText(page.locator(`[data-test="redemption-${waiting.id}"] [data-test="redemption-state"]`), '已领取');
    await seeText(page.locator(`[data-test="redemption-${waiting.id}"]`), '已领取');
  });
});

test('staff put an item on the shelf in the console; the member sees it on the phone', async (t) => {
  await withPage(t, env.browser, WIDE, async (page) => {
    await loginConsole(page, env.srv.url, 'staff');
    await page.getByRole('menuitem', { name: '爱心超市' }).click();
    await page.waitForURL(/\/admin\/shelf/);
    await seeText(page.locator('[data-test="shelf-table"]'), '大米 5kg');
    await axe(t, page);
    await page.locator('[data-test="shelf-create"]').click();
    const form = page.locator('[data-test="shelf-form"]');
    await form.locator('[data-test="shelf-name"]').fill('牙膏');
    await form.locator('[data-test="shelf-price"] input').fill('2');
    await form.locator('[data-test="shelf-stock-input"] input').fill('6');
    await page.locator('[data-test="shelf-save"]').click();
    await seeText(page.locator('.el-message--success'), '已上架“牙膏”');
    await seeText(page.locator('[data-test="shelf-table"] .el-table__body tr', { hasText: '牙膏' }), '2 分');
  });
  const member = await client(MEMBER);
  assert.ok((await get(member, '/shelf-items')).items.some((i) => i.name === '牙膏' && i.stock === 6));
});

test('hours given on the phone reach the resident\'s 我的时长', async (t) => {
  const member = await client(MEMBER);
  const resident = await client('resident');
  const had = await get(resident, '/me/timebank');
  const mine = await get(member, '/me/timebank');
  assert.ok(mine.minutes >= 30, 'the demo member has hours to give');
  await withPage(t, env.browser, PHONE, async (page) => {
    await large(page);
    await loginMobile(page, env.srv.url, MEMBER);
    await page.goto(`${env.srv.url}/m/timebank`);
    await page.locator('[data-test="give-form"]').waitFor();
    assert.ok(await fits(page));
    await axe(t, page);
    // A name that does not go with the phone: told at the phone field, and nothing given.
    await page.locator('[data-test="give-phone"] input').fill('13800000006');
    await page.locator('[data-test="give-name"] input').fill('张阿婆');
    await page.getByRole('button', { name: '30 分钟' }).click();
    await page.locator('[data-test="give-submit"]').click();
    await page.locator('.van-dialog').getByRole('button', { name: '确认赠送' }).click();
    await seeText(page.locator('#gh-phone').locator('xpath=ancestor::div[contains(@class,"van-field")]'), '找不到该手机号和姓名对应的账号');
    await page.locator('[data-test="give-name"] input').fill('张阿姨');
    await page.locator('[data-test="give-submit"]').click();
    await seeText(page.locator('.van-dialog'), '把 30 分钟 赠送给 张阿姨');
    await page.locator('.van-dialog').getByRole('button', { name: '确认赠送' }).click();
    await seeText(page.locator('.van-toast'), '已赠送给 张阿姨');
    await seeText(page.locator('[data-test="gifts"]'), '赠送给 张阿姨');
  });
  assert.equal((await get(member, '/me/timebank')).minutes, mine.minutes - 30);
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.goto(`${env.srv.url}/m/mine`);
    await page.locator('[data-test="my-timebank"]').click();
    await seeText(page.locator('[data-test="received-balance"]'), minutesText(had.received_minutes + 30));
    await seeText(page.locator('[data-test="gifts"]'), '陈建国 赠送');
    await axe(t, page);
  });
  assert.equal((await get(resident, '/me/timebank')).received_minutes, had.received_minutes + 30);
});
