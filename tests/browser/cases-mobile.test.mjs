// cases-mobile.test.mjs: cases on a phone (390×844): a resident reports 3栋's blocked drain in 3 steps with a photo
// (the refusals at their fields); staff accept it, give it to the property company and resolve it; the resident is
// asked 解决了吗?, says yes with 5 stars: 已办结, and the timeline says how it went. Axe on the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '../lib/server.mjs';
import { png } from '../api/images.mjs';
import { serverAndBrowser, withPage, loginMobile, seeText } from './helpers.mjs';

const PHONE = { width: 390, height: 844, isMobile: true };
const env = serverAndBrowser({ demo: 'full' });
const picture = (name, w = 320, h = 240) => ({ name, mimeType: 'image/png', buffer: png(w, h) });
const fieldError = (page, label) => page.locator('.van-field')
  .filter({ has: page.locator('.van-field__label', { hasText: label }) }).locator('.van-field__error-message');

async function client(login) {
  const c = new Client(env.srv.url);
  await c.login(login);
  return c;
}

test('a resident reports a blocked drain with a photo; staff resolve it; she confirms it solved with 5 stars', async (t) => {
  let caseId = 0;
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.locator('[data-test="tile-appeal"]').click();
    await page.waitForURL(/\/m\/cases\/new$/);
    await seeText(page.locator('[data-test="case-step"]'), '第 1 步，共 3 步');
    await page.locator('[data-test="kind-drain"]').waitFor();
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.filter((v) => v.impact === 'critical').map((v) => v.id), [], 'no critical accessibility violations');
    await page.locator('[data-test="kind-drain"]').click();

    // 2: where and what; a description too short is asked for at its field.
    await seeText(page.locator('[data-test="case-chosen"]'), '下水道堵塞');
    await page.locator('[data-test="case-building"]').selectOption({ label: '3栋' });
    await page.getByLabel('具体位置').fill('3单元门口');
    await page.getByLabel('一句话说明').fill('3单元门口下水道堵了');
    await page.locator('[data-test="case-next"]').click();
    await seeText(fieldError(page, '详细情况'), '请写一写详细情况');
    await page.getByLabel('详细情况').fill('下雨后污水漫到路上，老人出门要绕着走');
    await page.locator('[data-test="case-next"]').click();

    // 3: a photo, then sent.
    await seeText(page.locator('[data-test="case-step"]'), '第 3 步');
    const ask = page.locator('[data-test="list-photos-ask"]');
    await ask.locator('[data-test="photo-album"]').setInputFiles(picture('drain.png'));
    await seeText(ask.locator('[data-test="photo-ready"]'), '提交时上传');
    await page.locator('[data-test="case-submit"]').click();
    await page.waitForURL(/\/m\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await seeText(page.locator('[data-test="case-state"]'), '已反映 待受理');
    await page.locator('[data-test="list-photos-ask"] button.pp-thumb img').first().waitFor();
  });

  // Staff: accepted, to the property company, an update, resolved.
  const staff = await client('staff');
  assert.equal((await staff.post(`/api/v1/cases/${caseId}/accept`)).status, 200);
  assert.equal((await staff.post(`/api/v1/cases/${caseId}/assign`, { kind: 'property', name: '石榴桥物业服务中心' })).status, 200);
  assert.equal((await staff.post(`/api/v1/cases/${caseId}/updates`, { note: '物业明早带疏通车来' })).status, 200);
  const done = await staff.post(`/api/v1/cases/${caseId}/resolve`, { note: '主管道已疏通，路面已冲洗' });
  assert.equal(done.status, 200, done.text);

  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, 'resident');
    await page.locator('[data-test="tile-mycases"]').click();
    await page.waitForURL(/\/m\/mine\/cases$/);
    await page.locator(`[data-test="case-${caseId}"]`).click();
    await page.waitForURL(new RegExp(`/m/cases/${caseId}$`));
    await seeText(page.locator('[data-test="case-ask"]'), '解决了吗？');
    await seeText(page.locator('[data-test="case-timeline"]'), '物业明早带疏通车来');
    await seeText(page.locator('[data-test="case-party"]'), '石榴桥物业服务中心');
    await page.locator('[data-test="case-solved"]').click();
    await page.locator('[data-test="case-rate-submit"]').click();
    await seeText(page.locator('[data-test="case-rate-form"]'), '请选择星级');
    await page.locator('[data-test="case-stars"] [role="radio"]').nth(4).click();
    await page.locator('[data-test="case-rate-submit"]').click();
    await seeText(page.locator('[data-test="case-state"]'), '已办结');
    await page.locator('[data-test="case-rating"]').waitFor();
    assert.equal(await page.locator('[data-test="case-ask"]').count(), 0, 'asked no more');
  });
  const after = await staff.get(`/api/v1/cases/${caseId}`);
  assert.deepEqual([after.json.state, after.json.rating], ['closed', 5]);
});

test('a member reports what a walk found (巡查): the community of their report-in, channel walk', async (t) => {
  let caseId = 0;
  await withPage(t, env.browser, PHONE, async (page) => {
    await loginMobile(page, env.srv.url, '13800001011'); // 陈建国, approved at 石榴桥社区 (demo)
    await page.locator('[data-test="tile-cases"]').click();
    await page.waitForURL(/\/m\/cases\/new$/);
    await page.locator('[data-test="kind-safety"]').click();
    await page.locator('[data-test="case-building"]').selectOption({ label: '2栋' });
    await page.getByLabel('一句话说明').fill('2栋楼道堆放纸箱');
    await page.getByLabel('详细情况').fill('2栋一楼楼道堆了很多纸箱，堵住了消防通道');
    await page.locator('[data-test="case-next"]').click();
    await page.locator('[data-test="case-submit"]').click();
    await page.waitForURL(/\/m\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await seeText(page.locator('[data-test="case-state"]'), '已反映 待受理');
  });
  const staff = await client('staff');
  const k = (await staff.get(`/api/v1/cases/${caseId}`)).json;
  assert.deepEqual([k.channel, k.community_code, k.building_name, k.category_code], ['walk', '440111002011', '2栋', 'safety']);
});

test('问题公示: anyone sees the community\'s cases on its map and in the list, never who or which flat, no private ones', async (t) => {
  await withPage(t, env.browser, PHONE, async (page) => {
    await page.goto(`${env.srv.url}/m/public/communities/440111002011/cases`);
    const list = page.locator('[data-test="public-cases"]');
    await seeText(list, '3栋楼下下水道堵塞');
    const text = await page.locator('main').textContent();
    assert.doesNotMatch(text, /楼上装修噪音|3栋门口污水外溢|张阿姨|3栋1单元门口|13800000006/);
    assert.ok(await page.locator('[data-test="public-cases-map"] .pc-dot').count() >= 2, 'the cases placed on the map');
    await seeText(page.locator('.van-nav-bar, header').first(), '石榴桥社区');
  });
});
